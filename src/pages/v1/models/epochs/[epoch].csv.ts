// `/v1/models/epochs/<N>.csv`: one available epoch's models table as CSV, with changes against the previous epoch with data.
import type { APIRoute } from 'astro';
import type { EpochSnapshot } from '../../../../snapshot/schema.ts';
import { csvResponse, epochCsv } from '../../../../site/api.ts';
import { loadSite } from '../../../../site/load.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

export const GET: APIRoute = ({ props }) => {
  const { snapshot } = props as { snapshot: EpochSnapshot };
  return csvResponse(epochCsv(snapshot, loadSite().diffs.get(snapshot.epoch_id)));
};

// `/v1/models/epochs/<N>.csv`: one available epoch's models table as CSV, with changes against the previous epoch with data.
import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { csvResponse, epochCsv } from '../../../../site/api.ts';
import { loadSite } from '../../../../site/load.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

export const GET: APIRoute<Props> = ({ props }) => csvResponse(epochCsv(props.snapshot, loadSite().diffs.get(props.snapshot.epoch_id)));

// `/v1/models/epochs/<N>.hosts.csv`: every host of every model in one available epoch as CSV, excluded hosts flagged.
import type { APIRoute } from 'astro';
import type { EpochSnapshot } from '../../../../snapshot/schema.ts';
import { csvResponse, epochHostsCsv } from '../../../../site/api.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

export const GET: APIRoute = ({ props }) => csvResponse(epochHostsCsv((props as { snapshot: EpochSnapshot }).snapshot));

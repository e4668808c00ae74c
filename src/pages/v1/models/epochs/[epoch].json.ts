// `/v1/models/epochs/<N>.json`: one available epoch's snapshot.
import type { APIRoute } from 'astro';
import type { EpochSnapshot } from '../../../../snapshot/schema.ts';
import { jsonResponse, snapshotBody } from '../../../../site/api.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

export const GET: APIRoute = ({ props }) => jsonResponse(snapshotBody((props as { snapshot: EpochSnapshot }).snapshot));

// `/v1/models/current.json`: the snapshot `/` shows (the current epoch), polled by the island.
import type { APIRoute } from 'astro';
import { jsonResponse, snapshotBody } from '../../../site/api.ts';
import { loadSite } from '../../../site/load.ts';

export const GET: APIRoute = () => {
  const site = loadSite();
  return jsonResponse(snapshotBody(site.home.snapshot, site.links));
};

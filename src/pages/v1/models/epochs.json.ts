// `/v1/models/epochs.json`: every epoch with its page and JSON URLs.
import type { APIRoute } from 'astro';
import { epochsBody, jsonResponse } from '../../../site/api.ts';
import { urls } from '../../../site/settings.ts';
import { loadSite } from '../../../site/load.ts';

export const GET: APIRoute = () => jsonResponse(epochsBody(loadSite(), urls));

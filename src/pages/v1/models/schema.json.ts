// `/v1/models/schema.json`: the JSON Schema of an epoch snapshot, generated from src/snapshot/schema.ts.
import type { APIRoute } from 'astro';
import { jsonResponse, snapshotJsonSchema } from '../../../site/api.ts';
import { siteConfig, urls } from '../../../site/settings.ts';

export const GET: APIRoute = () => jsonResponse(snapshotJsonSchema(urls, siteConfig.siteUrl));

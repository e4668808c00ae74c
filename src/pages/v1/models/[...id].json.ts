// `/v1/models/<model id>.json`: one model across every epoch that lists it, with its history.
import type { APIRoute } from 'astro';
import { jsonResponse, modelBody } from '../../../site/api.ts';
import { urls } from '../../../site/config.ts';
import { loadSite } from '../../../site/load.ts';
import { modelPaths, type ModelRouteProps } from '../../../site/routes.ts';

export const getStaticPaths = modelPaths;

export const GET: APIRoute = ({ props }) => jsonResponse(modelBody((props as ModelRouteProps).model, urls, loadSite().diffs));

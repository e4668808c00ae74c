// `/v1/models/<model id>.json`: one model across every epoch that lists it, with its history.
import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { jsonResponse, modelBody } from '../../../site/api.ts';
import { urls } from '../../../site/settings.ts';
import { loadSite } from '../../../site/load.ts';
import { modelPaths } from '../../../site/routes.ts';

export const getStaticPaths = modelPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

export const GET: APIRoute<Props> = ({ props }) => jsonResponse(modelBody(props.model, urls, loadSite().diffs));

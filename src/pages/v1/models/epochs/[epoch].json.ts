// `/v1/models/epochs/<N>.json`: one available epoch's snapshot.
import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { jsonResponse, snapshotBody } from '../../../../site/api.ts';
import { loadSite } from '../../../../site/load.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

export const GET: APIRoute<Props> = ({ props }) => jsonResponse(snapshotBody(props.snapshot, loadSite().links));

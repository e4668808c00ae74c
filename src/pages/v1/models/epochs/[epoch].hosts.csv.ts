// `/v1/models/epochs/<N>.hosts.csv`: every host of every model in one available epoch as CSV, excluded hosts flagged.
import type { APIRoute, InferGetStaticPropsType } from 'astro';
import { csvResponse, epochHostsCsv } from '../../../../site/api.ts';
import { epochJsonPaths } from '../../../../site/routes.ts';

export const getStaticPaths = epochJsonPaths;

type Props = InferGetStaticPropsType<typeof getStaticPaths>;

export const GET: APIRoute<Props> = ({ props }) => csvResponse(epochHostsCsv(props.snapshot));

/**
 * Polls `current.json` on a countdown. The countdown only runs while polling is
 * allowed (not paused, tab visible, dialog closed) and resumes where it stopped,
 * so a hidden tab or an open dialog costs no requests. `cache: 'no-cache'` makes
 * the browser revalidate, so an unchanged file costs a 304. A failure keeps the
 * data and is reported; the next tick retries.
 */
import { useEffect, useRef, useState } from 'react';
import { toEpochData, type EpochData } from '../ui/epoch-data.ts';

/** The default refresh period: the data step runs on a schedule, 30 s keeps `/` close to it. */
export const DEFAULT_REFRESH_MS = 30_000;
/** A refresh that takes longer than this counts as failed. */
const FETCH_TIMEOUT_MS = 15_000;

/**
 * The refresh period for this page view: `?refresh=<seconds>` (0.2–3600, decimals allowed)
 * overrides the default, which tests use to avoid waiting 30 s.
 */
export function refreshPeriodFromUrl(search: string, fallback = DEFAULT_REFRESH_MS): number {
  const raw = new URLSearchParams(search).get('refresh');
  if (raw === null || !/^\d+(\.\d+)?$/.test(raw)) return fallback;
  const seconds = Number(raw);
  return seconds >= 0.2 && seconds <= 3600 ? Math.round(seconds * 1000) : fallback;
}

/** Fetches and checks one snapshot; throws with a short human reason. */
export async function fetchEpochData(url: string, signal: AbortSignal): Promise<EpochData> {
  const res = await fetch(url, { cache: 'no-cache', signal, headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new Error('the response is not JSON');
  }
  return toEpochData(body);
}

export interface RefreshFailure {
  /** ISO time of the first failure since the last success. */
  since: string;
  reason: string;
}

export interface AutoRefresh {
  /** Whole seconds until the next request (frozen while blocked). */
  secondsLeft: number;
  paused: boolean;
  setPaused(paused: boolean): void;
  /** Set while refreshes fail; cleared by the next success. */
  failure: RefreshFailure | null;
  /** ISO time of the last successful refresh in this page view. */
  lastSuccess: string | null;
}

interface Options {
  url: string;
  periodMs: number;
  /** False on pages that never poll (past epochs). */
  enabled: boolean;
  /** True while something else forbids polling (the dialog is open). */
  blocked: boolean;
  onData(data: EpochData): void;
}

/** Countdown, pause and failure state for polling `url` every `periodMs`. */
export function useAutoRefresh({ url, periodMs, enabled, blocked, onData }: Options): AutoRefresh {
  const [paused, setPaused] = useState(false);
  const [hidden, setHidden] = useState(false);
  const [secondsLeft, setSecondsLeft] = useState(Math.ceil(periodMs / 1000));
  const [failure, setFailure] = useState<RefreshFailure | null>(null);
  const [lastSuccess, setLastSuccess] = useState<string | null>(null);
  const remainingMs = useRef(periodMs);
  const onDataRef = useRef(onData);
  onDataRef.current = onData;

  useEffect(() => {
    const update = () => setHidden(document.visibilityState === 'hidden');
    update();
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);

  const active = enabled && !paused && !hidden && !blocked;

  useEffect(() => {
    if (!active) return;
    // A shorter period (read from the URL after hydration) takes effect at once.
    remainingMs.current = Math.min(remainingMs.current, periodMs);
    setSecondsLeft(Math.ceil(remainingMs.current / 1000));
    let deadline = Date.now() + remainingMs.current;
    let stopped = false;
    let inFlight: AbortController | null = null;

    const restart = () => {
      remainingMs.current = periodMs;
      deadline = Date.now() + periodMs;
      if (!stopped) setSecondsLeft(Math.ceil(periodMs / 1000));
    };

    const tick = async () => {
      const left = deadline - Date.now();
      if (left > 0) {
        remainingMs.current = left;
        setSecondsLeft(Math.ceil(left / 1000));
        return;
      }
      if (inFlight) return;
      const controller = new AbortController();
      inFlight = controller;
      setSecondsLeft(0);
      const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
      try {
        const data = await fetchEpochData(url, controller.signal);
        if (stopped) return;
        onDataRef.current(data);
        setFailure(null);
        setLastSuccess(new Date().toISOString());
      } catch (err) {
        if (stopped) return; // aborted because polling stopped: not a failure
        const reason = controller.signal.aborted ? 'the request timed out' : err instanceof Error ? err.message : String(err);
        setFailure((prev) => ({ since: prev?.since ?? new Date().toISOString(), reason }));
      } finally {
        clearTimeout(timer);
        inFlight = null;
        restart();
      }
    };

    // Tick often enough for short test periods; state only changes when the shown second does.
    const id = setInterval(tick, Math.min(250, Math.max(50, periodMs / 4)));
    return () => {
      stopped = true;
      clearInterval(id);
      if (inFlight) {
        // An interrupted request is simply redone after the full period.
        inFlight.abort();
        remainingMs.current = periodMs;
      }
    };
  }, [active, url, periodMs]);

  return { secondsLeft, paused, setPaused, failure, lastSuccess };
}

/**
 * `GET …/inference/params` at a height: the module's full parameter set in
 * the shape of the real 2026 body (every top-level section, defaults
 * emitted, int64 as strings; keys in the recording's alphabetical order),
 * with `poc_params` and `epoch_params` following the sample's timeline
 * (docs/chain-api.md, "Weight" and "Epochs").
 */
import {
  QWEN3_235B,
  QWEN_STAT_TEST,
  globalFactorAt,
  pocModelConfigs,
  type PocModelConfig,
  type StatTest,
} from './registry.ts';
import { EPOCH_SHIFT, GENESIS_EPOCH_LENGTH, LATER_EPOCH_LENGTH, SHORT_EPOCHS_FROM, STAGE_PARAMS, pocStart, upgradeAt } from './timeline.ts';

type Dec = { exponent: number; value: string };
const d = (value: string, exponent: number): Dec => ({ exponent, value });

/** Allow-lists and guardians as in the real 2026 parameter set. */
const DEVELOPERS = [
  'gonka10fynmy2npvdvew0vj2288gz8ljfvmjs35lat8n',
  'gonka1v8gk5z7gcv72447yfcd2y8g78qk05yc4f3nk4w',
  'gonka1gndhek2h2y5849wf6tmw6gnw9qn4vysgljed0u',
  'gonka1z66ec2zedwpapp6jrj9raxgl93e5ec9z5my52h',
  'gonka1jw6xg0wun3g8m2fjm8lula82dw5p6jl8yp28mn',
  'gonka15sjedpgseutpnrjx2ge3mgau3s8ft5qzym9waa',
  'gonka1l4a2wtls9rgd2mnnj6mheml5xlq3kknngj4p7h',
  'gonka1f3yg5385n3f9pdw2g3dcjcnfqyej67hcu9vfet',
  'gonka15g5pu70k7l6hvdt8xl80h4mxe332762csupaeg',
  'gonka1uyqp5z3dveamfw4pmw7p7rfvwdvgzewnqrzhsu',
  'gonka18lluv53n4h9z34qu20vxcvypgdkhsg6nn2cl2d',
  'gonka1x7zh2277spp7jfqjhv0g5mnezg290xdr4kpfnk',
  'gonka1ddswmmmn38esxegjf6qw36mt4aqyw6etvysy5x',
  'gonka1kx9mca3xm8u8ypzfuhmxey66u0ufxhs7nm6wc5',
  'gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp',
  'gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le',
  'gonka1p0uanq0aay6n3l4gtnshg63cy6vx3zgvkyc5lc',
  'gonka1khca2ht3m0nvpfghrxwgvnmj74t0sx6qzc2edd',
];

const DEVSHARD_CREATORS = [
  'gonka10fynmy2npvdvew0vj2288gz8ljfvmjs35lat8n',
  'gonka1uyqp5z3dveamfw4pmw7p7rfvwdvgzewnqrzhsu',
  'gonka1sy7ug80wrnm6gk47creak0j5eagjpf7maqcqwk',
  'gonka1w66aw6jayepglwgz66qtunetr5nyw9ls7evq5g',
  'gonka1v8gk5z7gcv72447yfcd2y8g78qk05yc4f3nk4w',
  'gonka1gndhek2h2y5849wf6tmw6gnw9qn4vysgljed0u',
  'gonka1z66ec2zedwpapp6jrj9raxgl93e5ec9z5my52h',
  'gonka1jw6xg0wun3g8m2fjm8lula82dw5p6jl8yp28mn',
  'gonka15sjedpgseutpnrjx2ge3mgau3s8ft5qzym9waa',
  'gonka1l4a2wtls9rgd2mnnj6mheml5xlq3kknngj4p7h',
  'gonka1f3yg5385n3f9pdw2g3dcjcnfqyej67hcu9vfet',
  'gonka15g5pu70k7l6hvdt8xl80h4mxe332762csupaeg',
  'gonka1p0uanq0aay6n3l4gtnshg63cy6vx3zgvkyc5lc',
];

const TRANSFER_AGENTS = [
  'gonka1y2a9p56kv044327uycmqdexl7zs82fs5ryv5le',
  'gonka1dkl4mah5erqggvhqkpc8j3qs5tyuetgdy552cp',
  'gonka1kx9mca3xm8u8ypzfuhmxey66u0ufxhs7nm6wc5',
  'gonka1ddswmmmn38esxegjf6qw36mt4aqyw6etvysy5x',
  'gonka10fynmy2npvdvew0vj2288gz8ljfvmjs35lat8n',
  'gonka1v8gk5z7gcv72447yfcd2y8g78qk05yc4f3nk4w',
  'gonka1gndhek2h2y5849wf6tmw6gnw9qn4vysgljed0u',
];

/** `validation_params` (also what a root epoch group would carry). */
export const VALIDATION_PARAMS = {
  bad_participant_invalidation_rate: d('1', -1),
  binom_test_p0: d('1', -1),
  claim_validation_enabled: false,
  downtime_bad_percentage: d('99', -2),
  downtime_good_percentage: d('98', -2),
  downtime_h_threshold: d('1', 2),
  downtime_reputation_preserve: d('0', 0),
  epochs_to_max: '30',
  estimated_limits_per_block_kb: '0',
  expiration_blocks: '150',
  false_positive_rate: d('5', -2),
  full_validation_traffic_cutoff: '10000',
  invalid_reputation_preserve: d('0', 0),
  invalidation_h_threshold: d('4', 0),
  logprobs_mode: 'processed_logprobs',
  max_validation_average: d('1', 0),
  min_ramp_up_measurements: 10,
  min_validation_average: d('1', -2),
  min_validation_halfway: d('5', -2),
  min_validation_traffic_cutoff: '100',
  miss_percentage_cutoff: d('1', -2),
  miss_requests_penalty: d('1', 0),
  pass_value: d('99', -2),
  quick_failure_threshold: d('1', -6),
  timestamp_advance: '30',
  timestamp_expiration: '300',
};

/** The `poc_params` of one era. */
export interface PocParams {
  confirmation_poc_v2_enabled: boolean;
  default_difficulty: number;
  model_id: string;
  model_params: null;
  models: PocModelConfig[];
  poc_data_pruning_epoch_threshold: string;
  poc_normalization_enabled: boolean;
  poc_stronger_rng_enabled: boolean;
  poc_v2_enabled: boolean;
  seq_len: string;
  stat_test: StatTest | null;
  validation_sample_size: number;
  validation_slots: number;
  weight_scale_factor: Dec | null;
}

/**
 * `poc_params` after block `h`: before v0.2.12 one model (Qwen3-235B) in the
 * singular fields with the era's global factor (null before v0.2.6) and
 * `models: []`; from v0.2.12 the per-model list, singular fields emptied.
 */
export function pocParamsAt(h: number, models: number): PocParams {
  const perModel = h >= upgradeAt('v0.2.12');
  const g = globalFactorAt(h);
  return {
    confirmation_poc_v2_enabled: true,
    default_difficulty: 5,
    model_id: perModel ? '' : QWEN3_235B,
    model_params: null,
    models: perModel ? pocModelConfigs(h, models) : [],
    poc_data_pruning_epoch_threshold: '1',
    poc_normalization_enabled: true,
    poc_stronger_rng_enabled: false,
    poc_v2_enabled: true,
    seq_len: perModel ? '0' : '1024',
    stat_test: perModel ? null : QWEN_STAT_TEST,
    validation_sample_size: 200,
    validation_slots: 0,
    weight_scale_factor: g ? d(g.value, g.exponent) : null,
  };
}

/** The whole params body in the state after block `h`. */
export function paramsBody(h: number, models: number) {
  const s = STAGE_PARAMS;
  return {
    params: {
      bandwidth_limits_params: {
        estimated_limits_per_block_kb: '53760',
        invalidations_limit: '500',
        invalidations_limit_curve: '250',
        invalidations_sample_period: '120',
        kb_per_input_token: d('23', -4),
        kb_per_output_token: d('64', -2),
        max_inferences_per_block: '1000',
        minimum_concurrent_invalidations: 1,
      },
      bitcoin_reward_params: {
        decay_rate: d('-475', -6),
        full_coverage_bonus_factor: d('12', -1),
        genesis_epoch: '1',
        initial_epoch_reward: '323000000000000',
        partial_coverage_bonus_factor: d('1', -1),
        use_bitcoin_rewards: true,
        utilization_bonus_factor: d('5', -1),
      },
      collateral_params: {
        base_weight_ratio: d('2', -1),
        collateral_per_weight_unit: d('42', -1),
        downtime_missed_percentage_threshold: d('5', -2),
        grace_period_end_epoch: '180',
        slash_fraction_downtime: d('1', -1),
        slash_fraction_invalid: d('2', -1),
      },
      confirmation_poc_params: {
        alpha_threshold: d('5', -1),
        expected_confirmations_per_epoch: '4',
        slash_fraction: d('0', 0),
        upgrade_protection_window: '500',
      },
      delegation_params: {
        cap_factor: d('75', -2),
        delegation_share: d('5', -2),
        deploy_window: '500',
        initial_model_id: QWEN3_235B,
        max_model_voting_power_percentage: d('3', -1),
        no_participation_penalty: d('15', -2),
        refusal_penalty: d('1', -1),
        v_min: '3',
        w_threshold: d('1', -1),
      },
      developer_access_params: { allowed_developer_addresses: DEVELOPERS, until_block_height: '2459367' },
      devshard_escrow_params: {
        allowed_creator_addresses: DEVSHARD_CREATORS,
        approved_versions: [
          {
            binary: 'https://github.com/gonka-ai/gonka/releases/download/release%2Fv0.2.12/devshardd.zip',
            name: 'v1',
            sha256: '15f722444e6545bc787f1ef6d1011557d25a8b05cb9f6aaf1a514349d36d4715',
          },
        ],
        group_size: 16,
        max_amount: '100000000000',
        max_escrows_per_epoch: 100,
        min_amount: '50000000',
        token_price: '10',
      },
      dynamic_pricing_params: {
        base_per_token_price: '100',
        grace_period_end_epoch: '90',
        grace_period_per_token_price: '100',
        min_per_token_price: '1',
        price_elasticity: d('5', -2),
        stability_zone_lower_bound: d('4', -1),
        stability_zone_upper_bound: d('6', -1),
        utilization_window_duration: '60',
      },
      epoch_params: {
        confirmation_poc_safety_window: '500',
        default_unit_of_compute_price: '100',
        epoch_length: String(h >= pocStart(SHORT_EPOCHS_FROM) ? LATER_EPOCH_LENGTH : GENESIS_EPOCH_LENGTH),
        epoch_multiplier: '1',
        epoch_shift: String(EPOCH_SHIFT),
        inference_pruning_epoch_threshold: '2',
        inference_pruning_max: '5000',
        inference_validation_cutoff: String(s.inferenceValidationCutoff),
        poc_exchange_duration: String(s.pocExchangeDuration),
        poc_pruning_max: '1000',
        poc_slot_allocation: d('1', -1),
        poc_stage_duration: String(s.pocStageDuration),
        poc_validation_delay: String(s.pocValidationDelay),
        poc_validation_duration: String(s.pocValidationDuration),
        set_new_validators_delay: String(s.setNewValidatorsDelay),
      },
      fee_params: { base_validation_gas: '500000', gas_per_poc_count: '100', min_gas_price_ngonka: '0' },
      genesis_guardian_params: {
        guardian_addresses: [
          'gonkavaloper1y2a9p56kv044327uycmqdexl7zs82fs5lyang5',
          'gonkavaloper1dkl4mah5erqggvhqkpc8j3qs5tyuetgdc59d0v',
          'gonkavaloper1kx9mca3xm8u8ypzfuhmxey66u0ufxhs70mtf0e',
        ],
        network_maturity_min_height: '3000000',
        network_maturity_threshold: '15000000',
      },
      participant_access_params: {
        blocked_participant_addresses: ['gonka1blockedxxxxxxxxxxxxxxxxxxxxxx'],
        new_participant_registration_start_height: '2475000',
        participant_allowlist_until_block_height: '2475000',
        use_participant_allowlist: true,
      },
      poc_params: pocParamsAt(h, models),
      tokenomics_params: {
        current_subsidy_percentage: d('9', -1),
        reward_vesting_period: '180',
        subsidy_reduction_amount: d('2', -1),
        subsidy_reduction_interval: d('5', -2),
        work_vesting_period: '180',
      },
      transfer_agent_access_params: { allowed_transfer_addresses: TRANSFER_AGENTS },
      validation_params: VALIDATION_PARAMS,
    },
  };
}

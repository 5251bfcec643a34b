-- 0034_add_value_checks
-- The SQL `python -m everyskill_db.migrate plan` runs for it on an empty database.
-- Generated, never edited by hand: pytest tests/test_migration_sql.py --update-snapshots

ALTER TABLE skill_feedback DROP CONSTRAINT IF EXISTS skill_feedback_feedback_type_check, ADD CONSTRAINT skill_feedback_feedback_type_check CHECK (feedback_type IN ('thumbs_up', 'thumbs_down', 'suggestion', 'training_example', 'bug_report'));

ALTER TABLE skill_feedback DROP CONSTRAINT IF EXISTS skill_feedback_sentiment_check, ADD CONSTRAINT skill_feedback_sentiment_check CHECK (sentiment IN (-1, 0, 1));

ALTER TABLE skill_feedback DROP CONSTRAINT IF EXISTS skill_feedback_quality_score_check, ADD CONSTRAINT skill_feedback_quality_score_check CHECK (quality_score BETWEEN 1 AND 10);

ALTER TABLE skill_feedback DROP CONSTRAINT IF EXISTS skill_feedback_status_check, ADD CONSTRAINT skill_feedback_status_check CHECK (status IN ('pending', 'accepted', 'dismissed', 'implemented', 'approved'));

ALTER TABLE benchmark_runs DROP CONSTRAINT IF EXISTS benchmark_runs_status_check, ADD CONSTRAINT benchmark_runs_status_check CHECK (status IN ('pending', 'running', 'completed', 'failed'));

ALTER TABLE benchmark_runs DROP CONSTRAINT IF EXISTS benchmark_runs_best_quality_score_check, ADD CONSTRAINT benchmark_runs_best_quality_score_check CHECK (best_quality_score BETWEEN 0 AND 100);

ALTER TABLE benchmark_runs DROP CONSTRAINT IF EXISTS benchmark_runs_cheapest_cost_microcents_check, ADD CONSTRAINT benchmark_runs_cheapest_cost_microcents_check CHECK (cheapest_cost_microcents >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_quality_score_check, ADD CONSTRAINT benchmark_results_quality_score_check CHECK (quality_score BETWEEN 0 AND 100);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_test_case_index_check, ADD CONSTRAINT benchmark_results_test_case_index_check CHECK (test_case_index >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_input_tokens_check, ADD CONSTRAINT benchmark_results_input_tokens_check CHECK (input_tokens >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_output_tokens_check, ADD CONSTRAINT benchmark_results_output_tokens_check CHECK (output_tokens >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_total_tokens_check, ADD CONSTRAINT benchmark_results_total_tokens_check CHECK (total_tokens >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_latency_ms_check, ADD CONSTRAINT benchmark_results_latency_ms_check CHECK (latency_ms >= 0);

ALTER TABLE benchmark_results DROP CONSTRAINT IF EXISTS benchmark_results_estimated_cost_microcents_check, ADD CONSTRAINT benchmark_results_estimated_cost_microcents_check CHECK (estimated_cost_microcents >= 0);

ALTER TABLE token_measurements DROP CONSTRAINT IF EXISTS token_measurements_input_tokens_check, ADD CONSTRAINT token_measurements_input_tokens_check CHECK (input_tokens >= 0);

ALTER TABLE token_measurements DROP CONSTRAINT IF EXISTS token_measurements_output_tokens_check, ADD CONSTRAINT token_measurements_output_tokens_check CHECK (output_tokens >= 0);

ALTER TABLE token_measurements DROP CONSTRAINT IF EXISTS token_measurements_total_tokens_check, ADD CONSTRAINT token_measurements_total_tokens_check CHECK (total_tokens >= 0);

ALTER TABLE token_measurements DROP CONSTRAINT IF EXISTS token_measurements_estimated_cost_microcents_check, ADD CONSTRAINT token_measurements_estimated_cost_microcents_check CHECK (estimated_cost_microcents >= 0);

ALTER TABLE token_measurements DROP CONSTRAINT IF EXISTS token_measurements_latency_ms_check, ADD CONSTRAINT token_measurements_latency_ms_check CHECK (latency_ms >= 0);

ALTER TABLE skills DROP CONSTRAINT IF EXISTS skills_total_uses_check, ADD CONSTRAINT skills_total_uses_check CHECK (total_uses >= 0);

ALTER TABLE skills DROP CONSTRAINT IF EXISTS skills_total_feedback_check, ADD CONSTRAINT skills_total_feedback_check CHECK (total_feedback >= 0);

ALTER TABLE skills DROP CONSTRAINT IF EXISTS skills_positive_feedback_pct_check, ADD CONSTRAINT skills_positive_feedback_pct_check CHECK (positive_feedback_pct BETWEEN 0 AND 100);

ALTER TABLE skills DROP CONSTRAINT IF EXISTS skills_avg_token_cost_microcents_check, ADD CONSTRAINT skills_avg_token_cost_microcents_check CHECK (avg_token_cost_microcents >= 0);

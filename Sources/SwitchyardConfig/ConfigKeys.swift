/// The keys of LiteLLM's config that Switchyard reads, and the ones it knows but does not
/// implement yet (one warning each at start, so a real LiteLLM config still starts).
enum ConfigKeys {
    static let topLevel: Set<String> = ["model_list", "router_settings", "litellm_settings", "general_settings", "environment_variables", "include"]
    static let topLevelNotYet: Set<String> = [
        "default_vertex_config", "policy_attachments",
        "guardrails", "credential_list", "callback_settings", "mcp_servers", "search_tools", "vector_store_registry",
        "prompts", "policies", "agent_list", "assistant_settings", "finetune_settings", "files_settings",
        "pass_through_endpoints", "model_group_settings", "mcp_tools", "budget_settings", "cost_discount_config",
        "cost_margin_config",
    ]

    /// `rpm`/`tpm` at the entry's top level are LiteLLM's older spelling of the litellm_params ones.
    static let deploymentEntry: Set<String> = ["model_name", "litellm_params", "model_info", "rpm", "tpm"]

    /// litellm_params read into typed fields; every other key is forwarded to the provider adapter.
    static let litellmParams: Set<String> = [
        "model", "api_key", "api_base", "base_url", "api_version", "organization", "custom_llm_provider", "rpm", "tpm",
        "weight", "order", "timeout", "stream_timeout", "request_timeout", "max_parallel_requests", "num_retries",
        "cooldown_time", "tags", "extra_headers", "headers", "drop_params", "mock_response", "max_retries",
    ]

    static let router: Set<String> = [
        "routing_strategy", "num_retries", "retry_after", "retry_policy", "model_group_retry_policy", "fallbacks",
        "context_window_fallbacks", "content_policy_fallbacks", "default_fallbacks", "max_fallbacks", "timeout",
        "stream_timeout", "allowed_fails", "allowed_fails_policy", "cooldown_time", "disable_cooldowns",
        "model_group_alias", "request_timeout",
    ]
    static let routerNotYet: Set<String> = [
        "guardrail_list", "health_check_ignore_transient_errors", "redis_db",
        "routing_strategy_args", "routing_groups", "fallback_on_unsupported_params", "enable_weighted_failover",
        "enable_pre_call_checks", "optional_pre_call_checks", "enable_tag_filtering", "tag_filtering_match_any",
        "default_max_parallel_requests", "default_litellm_params", "redis_host", "redis_port", "redis_password",
        "redis_url", "cache_responses", "cache_kwargs", "caching_groups", "client_ttl", "polling_interval",
        "default_priority", "provider_budget_config", "deployment_affinity_ttl_seconds", "enable_health_check_routing",
        "health_check_staleness_threshold", "ignore_invalid_deployments", "debug_level", "set_verbose",
        "alerting_config", "assistants_config", "router_general_settings", "model_group_affinity_config",
        "retry_after_ms", "max_parallel_requests", "search_tools", "auto_routers",
    ]

    static let litellm: Set<String> = [
        "max_fallbacks", "num_retries", "request_timeout", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
        "default_fallbacks", "allowed_fails", "drop_params", "json_logs",
    ]
    static let litellmNotYet: Set<String> = [
        "cost_discount_config", "cost_margin_config", "custom_prometheus_metadata_labels", "custom_prometheus_tags", "custom_provider_map", "default_max_internal_user_budget", "disable_copilot_system_to_assistant", "disable_stop_sequence_limit", "enable_end_user_cost_tracking_prometheus_only", "global_bitbucket_config", "global_gitlab_config", "global_prompt_directory", "mcp_semantic_tool_filter", "model_group_settings", "post_call_rules", "priority_reservation", "priority_reservation_settings", "prometheus_initialize_budget_metrics", "responses", "tag_budget_config", "websearch_interception_params",
        "modify_params", "num_retries_per_request", "success_callback", "failure_callback", "callbacks",
        "service_callbacks", "service_callback", "cache", "cache_params", "turn_off_message_logging",
        "redact_messages_in_exceptions", "redact_user_api_key_info", "max_budget", "budget_duration",
        "max_end_user_budget", "max_internal_user_budget", "internal_user_budget_duration",
        "default_key_generate_params", "upperbound_key_generate_params", "key_generation_settings",
        "default_team_settings", "default_internal_user_params", "set_verbose", "force_ipv4", "ssl_verify",
        "prometheus_metrics_config", "disable_end_user_cost_tracking", "disable_end_user_cost_tracking_prometheus_only",
        "require_auth_for_metrics_endpoint", "telemetry", "context_window_fallback_dict", "enable_preview_features",
        "disable_add_transform_inline_image_block", "guardrails", "default_team_params", "public_model_groups",
        "public_model_groups_links", "enable_json_schema_validation", "return_response_headers", "logging",
        "langfuse_default_tags", "mcp_aliases", "cache_control_injection_points", "default_max_tokens",
        "disable_token_counter", "allowed_fails_policy", "retry_policy", "cooldown_time", "disable_cooldowns",
        "upperbound_key_generate_params", "max_user_budget", "model_group_alias", "extra_spend_tag_headers",
        "disable_hf_tokenizer_download", "enable_azure_ad_token_refresh", "s3_callback_params", "datadog_params",
        "use_chat_completions_url_for_anthropic_messages", "callback_settings", "global_disable_no_log_param",
        "store_audit_logs", "background_health_checks", "health_check_interval", "default_user_params",
    ]

    static let general: Set<String> = ["master_key", "max_request_size_mb", "max_response_size_mb", "health_check_timeout"]
    static let generalNotYet: Set<String> = [
        "alerting_args", "allow_cli_sso_verification_uri_complete", "apply_user_budget_to_team_keys", "background_health_check_model_groups", "cancel_on_disconnect", "completion_model", "coordination_redis", "custom_auth_settings", "custom_ui_sso_sign_in_handler", "database_connect_timeout", "database_disable_prepared_statements", "database_extra_connection_params", "database_socket_timeout", "database_type", "disable_auto_add_proxy_admin_to_teams", "disable_budget_reservation", "disable_responses_id_security", "disable_spend_updates", "health_check_concurrency", "health_check_skip_disabled_background_models", "litellm_license", "max_batch_file_size_mb", "maximum_autorouter_session_retention_period", "maximum_health_check_retention_period", "maximum_spend_logs_cleanup_batch_size", "maximum_spend_logs_cleanup_batch_timeout", "maximum_spend_logs_cleanup_max_batches", "maximum_spend_logs_cleanup_run_budget", "mcp_internal_ip_ranges", "mcp_required_fields", "mcp_trusted_proxy_ranges", "mcp_xff_num_trusted_hops", "model_list_healthy_only", "oauth2_config_mappings", "pass_through_request_timeout", "plugins", "provider_url_destination_allowed_hosts", "proxy_batch_polling_interval", "proxy_config_reload_interval_seconds", "role_permissions", "scheduled_job_stagger", "search_tools", "trusted_proxy_ranges", "use_azure_key_vault", "use_client_credentials_pass_through_routes", "use_google_kms", "use_spend_logs_partitioning", "user_mcp_management_mode", "user_url_allowed_hosts", "user_url_validation",
        "database_url", "database_connection_pool_limit", "database_connection_timeout", "allow_requests_on_db_unavailable",
        "disable_spend_logs", "disable_error_logs", "store_prompts_in_spend_logs", "maximum_spend_logs_retention_period",
        "maximum_spend_logs_retention_interval", "proxy_batch_write_at", "use_redis_transaction_buffer",
        "proxy_budget_rescheduler_min_time", "proxy_budget_rescheduler_max_time", "user_api_key_cache_ttl",
        "max_parallel_requests", "global_max_parallel_requests", "background_health_checks", "health_check_interval",
        "health_check_details", "alerting", "alerting_threshold", "alert_types", "alert_to_webhook_url",
        "spend_report_frequency", "custom_auth", "enable_jwt_auth", "litellm_jwtauth", "litellm_key_header_name",
        "allowed_routes", "public_routes", "admin_only_routes", "allowed_ips", "use_x_forwarded_for",
        "enforce_user_param", "enforced_params", "reject_clientside_metadata_tags", "forward_client_headers_to_llm_api",
        "forward_openai_org_id", "store_model_in_db", "supported_db_objects", "key_management_system",
        "key_management_settings", "default_team_disabled", "ui_access_mode", "custom_sso", "pass_through_endpoints",
        "disable_master_key_return", "disable_reset_budget", "disable_adding_master_key_hash_to_db", "use_shared_health_check",
        "infer_model_from_keys", "allow_user_auth", "custom_key_generate", "embedding_model", "disable_retry_on_max_parallel_request_limit_error",
        "service_account_settings", "custom_prompt_management", "proxy_admin_email", "ui_username", "ui_password",
        "image_generation_model", "moderation_model", "routing_strategy", "enable_oauth2_auth", "enable_oauth2_proxy_auth",
        "enable_public_model_hub", "disable_prisma_schema_update", "allow_client_side_credentials", "user_header_name",
        "user_header_mappings", "litellm_proxy_admin_name", "mcp_client_side_auth_header_name", "otel", "enable_health_check_routing",
        "control_plane_url", "cost_discount_config", "maximum_retention_period", "database_args", "callback_settings",
        "team_id_header_name", "forward_llm_provider_auth_headers", "enable_websockets", "allowed_origins",
    ]

    static let retryPolicyKeys: Set<String> = [
        "BadRequestErrorRetries", "AuthenticationErrorRetries", "TimeoutErrorRetries", "RateLimitErrorRetries",
        "ContentPolicyViolationErrorRetries", "InternalServerErrorRetries", "ServiceUnavailableErrorRetries",
        "NotFoundErrorRetries", "DefaultRetries", "BadGatewayErrorRetries", "PermissionDeniedErrorRetries",
        "ContextWindowExceededErrorRetries", "APIConnectionErrorRetries",
    ]
    static let allowedFailsPolicyKeys: Set<String> = [
        "BadRequestErrorAllowedFails", "AuthenticationErrorAllowedFails", "TimeoutErrorAllowedFails",
        "RateLimitErrorAllowedFails", "ContentPolicyViolationErrorAllowedFails", "InternalServerErrorAllowedFails",
        "ServiceUnavailableErrorAllowedFails", "BadGatewayErrorAllowedFails", "NotFoundErrorAllowedFails",
    ]
}

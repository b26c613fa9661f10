/// The keys of LiteLLM's config that Switchyard reads, and the ones it knows but does not
/// implement yet (one warning each at start, so a real LiteLLM config still starts).
enum ConfigKeys {
    static let topLevel: Set<String> = ["model_list", "router_settings", "litellm_settings", "general_settings", "environment_variables", "include"]
    static let topLevelNotYet: Set<String> = [
        "guardrails", "credential_list", "callback_settings", "mcp_servers", "search_tools", "vector_store_registry",
        "prompts", "policies", "agent_list", "assistant_settings", "finetune_settings", "files_settings",
        "pass_through_endpoints", "model_group_settings", "mcp_tools", "budget_settings", "cost_discount_config",
        "cost_margin_config",
    ]

    static let deploymentEntry: Set<String> = ["model_name", "litellm_params", "model_info"]

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
        "num_retries", "request_timeout", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
        "default_fallbacks", "allowed_fails", "drop_params", "json_logs",
    ]
    static let litellmNotYet: Set<String> = [
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

/// The config `switchyard serve` runs when given none: the same as `examples/quickstart.yaml`
/// (a test keeps the two identical).
public enum EmbeddedConfig {
    public static let quickstart = """
        # Switchyard quick start: no provider keys, no database. The mock/ provider answers in process.
        # Run:  swift run switchyard serve --config examples/quickstart.yaml
        model_list:
          # The "gpt-4o" group's only deployment fails on purpose (HTTP 503), so every request to it
          # falls back to "gpt-4o-mini": the answer's x-litellm-attempted-fallbacks header says 1.
          - model_name: gpt-4o
            litellm_params:
              model: mock/gpt-4o
              mock_fault: status=503
              num_retries: 0
          - model_name: gpt-4o-mini
            litellm_params:
              model: mock/gpt-4o-mini
          - model_name: text-embedding-3-small
            litellm_params:
              model: mock/text-embedding-3-small
            model_info:
              mode: embedding

        router_settings:
          num_retries: 2
          fallbacks:
            - gpt-4o: ["gpt-4o-mini"]

        general_settings:
          master_key: sk-switchyard-demo

        """
}

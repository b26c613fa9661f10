import Foundation
import Switchyard
import SwitchyardConfig
import Testing

@Suite("Config loader")
struct ConfigLoaderTests {
    func load(_ yaml: String, env: [String: String] = [:]) -> ConfigLoadResult {
        ConfigLoader.load(yaml: yaml, environment: env)
    }

    @Test("LiteLLM's full example loads: deployments, router and proxy settings, os.environ/ resolved")
    func realisticExample() throws {
        let yaml = """
            model_list:
              - model_name: gpt-4o
                litellm_params:
                  model: azure/gpt-4o-prod-eastus
                  api_base: os.environ/AZURE_EASTUS_API_BASE
                  api_key: os.environ/AZURE_EASTUS_API_KEY
                  api_version: "2024-10-21"
                  rpm: 1200
                  tpm: 400000
                  region_name: us
                model_info:
                  base_model: azure/gpt-4o
              - model_name: gpt-4o
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                  order: 2
              - model_name: claude-sonnet
                litellm_params:
                  model: anthropic/claude-sonnet-4-5
                  api_key: os.environ/ANTHROPIC_API_KEY
                  timeout: 120
                  stream_timeout: 30
              - model_name: "groq/*"
                litellm_params:
                  model: "groq/*"
                  api_key: os.environ/GROQ_API_KEY
            litellm_settings:
              drop_params: true
              num_retries: 3
              request_timeout: 600
              success_callback: ["langfuse"]
            router_settings:
              routing_strategy: simple-shuffle
              num_retries: 2
              timeout: 300
              stream_timeout: 60
              allowed_fails: 5
              cooldown_time: 30
              retry_policy:
                BadRequestErrorRetries: 0
                RateLimitErrorRetries: 3
              allowed_fails_policy:
                RateLimitErrorAllowedFails: 100
              fallbacks:
                - gpt-4o: ["claude-sonnet"]
                - claude-sonnet: ["gpt-4o"]
              context_window_fallbacks:
                - gpt-4o: ["claude-sonnet"]
              default_fallbacks: ["claude-sonnet"]
              max_fallbacks: 3
              model_group_alias: {"gpt-4": "gpt-4o", "claude": {"model": "claude-sonnet", "hidden": true}}
            general_settings:
              master_key: os.environ/LITELLM_MASTER_KEY
              max_request_size_mb: 5
              database_url: os.environ/DATABASE_URL
            """
        let env = [
            "AZURE_EASTUS_API_BASE": "https://eastus.example", "AZURE_EASTUS_API_KEY": "az-key", "OPENAI_API_KEY": "sk-o",
            "ANTHROPIC_API_KEY": "sk-ant", "GROQ_API_KEY": "gsk", "LITELLM_MASTER_KEY": "sk-master", "DATABASE_URL": "postgres://x",
        ]
        let result = load(yaml, env: env)
        #expect(!result.issues.hasErrors, "\(result.issues)")
        let config = try #require(result.config)
        #expect(config.modelList.count == 4)
        let azure = config.modelList[0]
        #expect(azure.params.apiBase == "https://eastus.example")
        #expect(azure.params.apiKey == "az-key")
        #expect(azure.params.apiVersion == "2024-10-21")
        #expect(azure.params.rpm == 1200 && azure.params.tpm == 400_000)
        #expect(azure.params.extra["region_name"] == "us")
        #expect(azure.params.dropParams == true, "litellm_settings.drop_params applies to every deployment")
        #expect(azure.modelInfo.baseModel == "azure/gpt-4o")
        #expect(config.modelList[1].params.order == 2)
        #expect(config.modelList[2].params.timeout == 120 && config.modelList[2].params.streamTimeout == 30)
        let router = config.router
        #expect(router.numRetries == 2, "router_settings wins over litellm_settings")
        #expect(router.timeout == 300)
        #expect(router.streamTimeout == 60)
        #expect(router.allowedFails == 5 && router.cooldownTime == 30)
        #expect(router.retryPolicy == ["BadRequestErrorRetries": 0, "RateLimitErrorRetries": 3])
        #expect(router.allowedFailsPolicy == ["RateLimitErrorAllowedFails": 100])
        #expect(router.fallbacks == ["gpt-4o": ["claude-sonnet"], "claude-sonnet": ["gpt-4o"]])
        #expect(router.contextWindowFallbacks == ["gpt-4o": ["claude-sonnet"]])
        #expect(router.defaultFallbacks == ["claude-sonnet"])
        #expect(router.maxFallbacks == 3)
        #expect(router.modelGroupAlias == ["gpt-4": "gpt-4o", "claude": "claude-sonnet"])
        #expect(config.server.masterKey == "sk-master")
        #expect(config.server.maxRequestBytes == 5 * 1_048_576)
        let warned = Set(result.issues.warnings.map(\.path))
        #expect(warned.contains("litellm_settings.success_callback"))
        #expect(warned.contains("general_settings.database_url"))
        #expect(result.issues.warnings.filter { $0.path == "litellm_settings.success_callback" }.count == 1, "one warning per key")
        let router2 = try config.makeRouter()
        #expect(router2.modelGroups == ["gpt-4o", "claude-sonnet", "groq/*"])
    }

    @Test("wrong types and missing required values are errors with their YAML path", arguments: [
        ("model_list:\n  - model_name: a\n    litellm_params:\n      rpm: lots\n      model: openai/x\n", "model_list[0].litellm_params.rpm"),
        ("model_list:\n  - model_name: a\n    litellm_params: {}\n", "model_list[0].litellm_params.model"),
        ("model_list:\n  - litellm_params:\n      model: openai/x\n", "model_list[0].model_name"),
        ("model_list:\n  - model_name: a\n", "model_list[0].litellm_params"),
        ("model_list: {a: 1}\n", "model_list"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\nrouter_settings:\n  num_retries: [1]\n", "router_settings.num_retries"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\nrouter_settings:\n  routing_strategy: fastest-please\n", "router_settings.routing_strategy"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\nrouter_settings:\n  fallbacks: [a, b]\n", "router_settings.fallbacks[0]"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\ngeneral_settings:\n  max_request_size_mb: -1\n", "general_settings.max_request_size_mb"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a, weight: -2}\n", "model_list[0].litellm_params.weight"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n  - model_name: a\n    litellm_params: {model: mock/b, weight: .inf}\n", "model_list[1].litellm_params.weight"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a, weight: .nan}\n", "model_list[0].litellm_params.weight"),
        ("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a, weight: \"-inf\"}\n", "model_list[0].litellm_params.weight"),
    ])
    func errors(yaml: String, path: String) {
        let result = load(yaml)
        #expect(result.config == nil)
        #expect(result.issues.errors.contains { $0.path == path }, "\(result.issues)")
    }

    @Test("a non-finite weight is reported as such, with its YAML path")
    func nonFiniteWeight() {
        let result = load("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n      weight: .inf\n")
        #expect(result.config == nil)
        #expect(result.issues.errors.map(\.path) == ["model_list[0].litellm_params.weight"])
        #expect(result.issues.errors.first?.message == "must be a finite number")
    }

    @Test("every problem is reported, not only the first")
    func allProblems() {
        let result = load("model_list:\n  - model_name: a\n    litellm_params:\n      rpm: x\n      tpm: y\n  - model_name: b\n    litellm_params: {}\n")
        #expect(result.issues.errors.map(\.path).sorted() == ["model_list[0].litellm_params.model", "model_list[0].litellm_params.rpm", "model_list[0].litellm_params.tpm", "model_list[1].litellm_params.model"])
    }

    @Test("invalid YAML and empty files are errors")
    func invalidYAML() {
        #expect(load("model_list: [ oops").issues.hasErrors)
        #expect(load("").issues.hasErrors)
        #expect(load("just a string").issues.hasErrors)
    }

    @Test("numbers and booleans written as strings, as os.environ/ gives them, are read")
    func lenientScalars() throws {
        let config = try #require(load(
            "model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n      rpm: os.environ/RPM\n      timeout: \"2.5\"\nrouter_settings:\n  disable_cooldowns: \"true\"\n",
            env: ["RPM": "600"]).config)
        #expect(config.modelList[0].params.rpm == 600)
        #expect(config.modelList[0].params.timeout == 2.5)
        #expect(config.router.disableCooldowns)
    }

    @Test("an unset os.environ/ variable is a warning naming it, and the value is left out")
    func unsetVariable() throws {
        let result = load("model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/gpt-4o\n      api_key: os.environ/NOT_SET_ANYWHERE\n")
        #expect(result.issues.warnings.contains { $0.path == "model_list[0].litellm_params.api_key" && $0.message.contains("NOT_SET_ANYWHERE") })
        #expect(try #require(result.config).modelList[0].params.apiKey == nil)
    }

    @Test("environment_variables are exported before os.environ/ is resolved")
    func environmentVariables() throws {
        let config = try #require(load(
            "environment_variables:\n  MY_BASE: http://local:1234/v1\n  INDIRECT: os.environ/FROM_PROCESS\nmodel_list:\n  - model_name: a\n    litellm_params:\n      model: openai/x\n      api_base: os.environ/MY_BASE\n      api_key: os.environ/INDIRECT\n",
            env: ["FROM_PROCESS": "sk-p"]).config)
        #expect(config.modelList[0].params.apiBase == "http://local:1234/v1")
        #expect(config.modelList[0].params.apiKey == "sk-p")
        #expect(config.environment["MY_BASE"] == "http://local:1234/v1")
    }

    @Test("unknown keys are warnings; litellm_params it does not model are forwarded to the provider")
    func unknownKeys() throws {
        let result = load("model_list:\n  - model_name: a\n    litellm_params:\n      model: mock/a\n      vertex_project: p\n    extra_thing: 1\nmystery: true\n")
        #expect(result.issues.warnings.map(\.path).sorted() == ["model_list[0].extra_thing", "mystery"])
        #expect(try #require(result.config).modelList[0].params.extra["vertex_project"] == "p")
    }

    @Test("router_settings.ignore_invalid_deployments, documented by LiteLLM, is a warning, not an error")
    func ignoreInvalidDeployments() throws {
        // Not in the fixtures: LiteLLM's proxy passes it to the Router itself, so a config that also
        // sets it stops LiteLLM with a TypeError (docs/research/litellm-config-keys.md). Switchyard
        // still loads such a config, with a warning.
        let result = load("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\nrouter_settings:\n  ignore_invalid_deployments: true\n")
        #expect(result.issues.errors.isEmpty)
        #expect(result.issues.warnings.map(\.path) == ["router_settings.ignore_invalid_deployments"])
        #expect(result.issues.warnings.first?.message.contains("not implemented yet") == true)
        #expect(try #require(result.config).modelList.count == 1)
    }

    @Test("fallbacks naming unknown groups are warnings")
    func unknownFallbackTargets() {
        let result = load("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\nrouter_settings:\n  fallbacks: [{a: [b]}]\n")
        #expect(result.issues.warnings.contains { $0.path == "router_settings.fallbacks.a" && $0.message.contains("'b'") })
        #expect(result.config != nil)
    }

    @Test("include merges other files' model lists")
    func include() throws {
        let result = ConfigLoader.load(
            yaml: "include: [more.yaml]\nmodel_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n", environment: [:],
            readFile: { name in
                #expect(name == "more.yaml")
                return "model_list:\n  - model_name: b\n    litellm_params: {model: mock/b}\n"
            })
        #expect(try #require(result.config).modelList.map(\.modelName) == ["a", "b"])
    }

    @Test("the master key can come from LITELLM_MASTER_KEY")
    func masterKeyFromEnvironment() throws {
        let config = try #require(load("model_list:\n  - model_name: a\n    litellm_params: {model: mock/a}\n", env: ["LITELLM_MASTER_KEY": "sk-env"]).config)
        #expect(config.server.masterKey == "sk-env")
    }

    @Test("the built-in quick start is examples/quickstart.yaml, and it loads cleanly")
    func quickstart() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/quickstart.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == EmbeddedConfig.quickstart)
        let result = load(text)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let config = try #require(result.config)
        #expect(config.server.masterKey == "sk-switchyard-demo")
        #expect(config.router.fallbacks == ["gpt-4o": ["gpt-4o-mini"]])
    }

    @Test("a list of organizations expands into one deployment each; entry-level rpm/tpm are read")
    func organizationsAndEntryLimits() throws {
        let config = try #require(load("""
            model_list:
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk
                  organization: ["org-a", "org-b"]
                rpm: 60
                tpm: 9000
            """).config)
        #expect(config.modelList.map(\.params.organization) == ["org-a", "org-b"])
        #expect(config.modelList.allSatisfy { $0.params.rpm == 60 && $0.params.tpm == 9000 })
        #expect(Set(config.modelList.map(\.id)).count == 2, "each organization is its own deployment")
    }

    @Test("an unquoted date (api_version: 2024-02-01) stays the text it was written as")
    func unquotedDate() throws {
        let config = try #require(load("model_list:\n  - model_name: a\n    litellm_params:\n      model: azure/x\n      api_base: https://a.example\n      api_key: k\n      api_version: 2024-02-01\n").config)
        #expect(config.modelList[0].params.apiVersion == "2024-02-01")
    }
}

// `import Switchyard` brings the wire types (ChatRequest, ChatMessage, GatewayError, …) and
// the provider layer's values (HeaderFields, ProviderTarget) with it.
@_exported import SwitchyardCore
@_exported import SwitchyardProviders

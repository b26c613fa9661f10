import Switchyard

/// `GET /v1/models` and `GET /v1/models/{id}`: the model groups (and aliases) the gateway serves.
enum ModelsEndpoint {
    static func cards(router: Router, created: Int) -> [ModelCard] {
        var names = router.modelGroups
        for alias in router.settings.modelGroupAlias.keys.sorted() where !names.contains(alias) { names.append(alias) }
        return names.map { ModelCard(id: $0, created: created, ownedBy: "openai") }
    }

    static func list(router: Router, created: Int) -> GatewayResponse {
        .json(200, encoding: ModelList(data: cards(router: router, created: created)))
    }

    static func card(_ id: String, router: Router, created: Int) -> GatewayResponse {
        if let card = cards(router: router, created: created).first(where: { $0.id == id }) {
            return .json(200, encoding: card)
        }
        let error = GatewayError(.notFound, "The model '\(id)' does not exist on this gateway.", param: "model")
        return ErrorResponses.openAI(error)
    }
}

import NgrokModel
import Validation

/// `/endpoint_configurations` (`ec_`) with `GET|PUT|DELETE /endpoint_configurations/{id}/{module}`.
/// `type` is immutable. In PATCH an omitted or `null` module is unchanged and a given module replaces
/// the old one wholesale; modules are removed only through the module DELETE path.
struct EndpointConfigurations: Resource {
    let apiCollection = APICollection.endpointConfigurations
    var createFields: [String] { ["type", "description", "metadata"] + EndpointModule.allCases.map(\.rawValue) }
    var updateFields: [String] { ["description", "metadata"] + EndpointModule.allCases.map(\.rawValue) }
    let lengthCodes = TextLimits.apiErrorCodes(for: .endpointConfiguration)

    static let signingKey = "_saml_request_signing_certificate_pem"

    /// Checks the module/type matrix and the rules between modules (shared Validation rules for the
    /// modelled modules; the emulator's own for logging, basic_auth and backend).
    func validate(_ object: StoredObject) throws(APIError) {
        let typeText = object["type"]?.stringValue ?? ""
        let present = EndpointModule.allCases.filter { object[$0.rawValue].map { !$0.isNull } ?? false }
        let enabled = present.filter { object[$0.rawValue]?["enabled"] != .bool(false) }
        let shared = { (modules: [EndpointModule]) in
            modules.compactMap { if case .shared(let name) = $0 { name } else { nil } }
        }
        if let type = EndpointType(rawValue: typeText) {
            try APIError.throwFirst(EndpointConfigurationRules.unsupportedModules(shared(present), on: type))
        }
        for module in present where module.shared == nil && !module.supportedTypes.contains(typeText) {
            throw APIError.badRequest(
                1621, "The module \(module.rawValue) is not supported on an endpoint configuration of type \(typeText).")
        }
        let auth = enabled.filter { [.shared(.oauth), .shared(.oidc), .shared(.saml), .basicAuth].contains($0) }
        if auth.count > 1, auth.contains(.basicAuth) {
            throw APIError.badRequest(
                1679,
                "Only one of SAML, OIDC, OAuth or Basic Auth may be enabled on an endpoint configuration, found \(auth.map(\.rawValue).joined(separator: ", ")).")
        }
        let terminateAt = enabled.contains(.shared(.tlsTermination))
            ? object["tls_termination"]?["terminate_at"]?.stringValue.flatMap(TLSTerminationModule.TerminateAt.init(rawValue:))
            : nil
        try APIError.throwFirst(
            EndpointConfigurationRules.compositionViolations(enabled: shared(enabled), terminateAt: terminateAt))
        if terminateAt == .upstream, enabled.contains(.basicAuth) {
            throw APIError.badRequest(
                1662, "The module basic_auth is not allowed when TLS is not terminated at the edge (terminate_at 'upstream').")
        }
    }

    /// Sets one module from its request body (or removes it for nil).
    func setModule(
        _ module: EndpointModule, _ json: JSON?, on object: inout StoredObject, _ ctx: APIContext,
        _ tx: StoreTransaction
    ) throws {
        guard let json else {
            object[module.rawValue] = .null
            return
        }
        let type = object["type"]?.stringValue ?? ""
        guard module.supportedTypes.contains(type) else {
            throw APIError.badRequest(
                1621, "The module \(module.rawValue) is not supported on an endpoint configuration of type \(type).")
        }
        object[module.rawValue] = .object(try module.parse(json, ecID: object.id, ctx: ctx, tx))
        if module == .shared(.saml), object[Self.signingKey] == nil {
            object[Self.signingKey] = .string(EndpointModule.makeSigningCertificate(ecID: object.id, now: ctx.now))
        }
    }

    private func applyModules(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction)
        throws
    {
        for module in EndpointModule.allCases {
            if let json = body.value(module.rawValue) { try setModule(module, json, on: &object, ctx, tx) }
        }
        try validate(object)
    }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        switch EndpointConfigurationRules.parseType(try body.string("type")) {
        case .success(let type): object["type"] = .string(type.rawValue)
        case .failure(let problem): throw APIError(problem)
        }
        for module in EndpointModule.allCases { object[module.rawValue] = .null }
        try applyModules(&object, body, ctx, tx)
        return JSONObject()
    }

    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {
        try applyModules(&object, body, ctx, tx)
    }

    func renderModule(_ module: EndpointModule, _ object: StoredObject, _ ctx: APIContext) -> JSON {
        guard let stored = object[module.rawValue], !stored.isNull else { return .null }
        return module.render(stored, ecID: object.id, samlSigningPEM: object[Self.signingKey]?.stringValue, ctx)
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = JSONObject()
        out["id"] = .string(object.id)
        out["type"] = object["type"] ?? ""
        out["description"] = object["description"] ?? ""
        out["metadata"] = object["metadata"] ?? ""
        out["created_at"] = object["created_at"] ?? ""
        out["uri"] = .string(ctx.uri(collection, object.id))
        for module in EndpointModule.allCases { out[module.rawValue] = renderModule(module, object, ctx) }
        return .object(out)
    }

    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws {
        let users =
            try tx.all("reserved_domains").filter {
                $0["http_endpoint_configuration_id"]?.stringValue == object.id
                    || $0["https_endpoint_configuration_id"]?.stringValue == object.id
            } + tx.all("reserved_addrs").filter { $0["endpoint_configuration_id"]?.stringValue == object.id }
        if !users.isEmpty {
            throw APIError.badRequest(
                1619,
                "The endpoint configuration could not be deleted because it is still referenced by at least one reserved domain or reserved address (\(users.map(\.id).joined(separator: ", "))).")
        }
    }
}

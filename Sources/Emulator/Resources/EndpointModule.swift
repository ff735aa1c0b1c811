import Crypto
import Foundation
import NgrokModel
import SwiftASN1
import Validation
import X509

/// The modules of an endpoint configuration, in the API's response key order: the ones ngrokctl
/// manages (named and described by `APIVocabulary`) and three it does not, which the emulator
/// still serves. Each parses its request (mutate) shape into a stored form and renders the
/// response shape (IDs become refs).
enum EndpointModule: Hashable, Sendable, CaseIterable {
    case shared(ModuleName)
    case basicAuth
    case logging
    case backend

    static let allCases: [EndpointModule] =
        [.basicAuth]
        + ([.circuitBreaker, .compression, .requestHeaders, .responseHeaders, .ipPolicy, .mutualTls, .tlsTermination,
            .webhookValidation, .oauth] as [ModuleName]).map(EndpointModule.shared)
        + [.logging, .shared(.saml), .shared(.oidc), .backend]

    /// The API's name: the key on the configuration and the module's sub-path.
    var rawValue: String {
        switch self {
        case .shared(let module): module.apiName
        case .basicAuth: "basic_auth"
        case .logging: "logging"
        case .backend: "backend"
        }
    }

    init?(rawValue: String) {
        guard let found = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = found
    }

    /// Configuration types the module may be added to (docs/product-rules.md; the shared model).
    var supportedTypes: Set<String> {
        switch self {
        case .shared(let module): Set(module.supportedTypes.map(\.rawValue))
        case .logging, .backend: ["http", "https", "tcp"]
        case .basicAuth: ["http", "https"]
        }
    }

    /// The module's row in the shared vocabulary; nil for the modules ngrokctl does not manage.
    var shared: APIVocabulary.Module? {
        if case .shared(let module) = self { return APIVocabulary.module(module) }
        return nil
    }

    var requestFields: [String] {
        if let shared { return shared.fields.filter { !$0.inProviderBlock }.map(\.request) }
        switch self {
        case .basicAuth: return ["enabled", "auth_provider_id", "realm", "allow_options"]
        case .logging: return ["enabled", "event_stream_ids"]
        case .backend: return ["enabled", "backend_id"]
        case .shared: return ["enabled"]
        }
    }

    /// Parses a module request body into its stored form.
    func parse(_ json: JSON, ecID: String, ctx: APIContext, _ tx: StoreTransaction) throws -> JSONObject {
        let body = try RequestBody(json, allowed: requestFields, path: rawValue)
        if let shared { return try parse(body, shared, tx) }
        var out = JSONObject()
        out["enabled"] = .bool(try body.bool("enabled") ?? true)
        switch self {
        case .basicAuth:
            let provider = try body.string("auth_provider_id") ?? "agent"
            guard provider.isEmpty || provider == "agent" else {
                throw APIError.badRequest(1612, "The basic_auth auth provider must be 'agent'.")
            }
            out["auth_provider_id"] = .string(provider.isEmpty ? "agent" : provider)
            out["realm"] = .string(try body.string("realm") ?? "")
            out["allow_options"] = .bool(try body.bool("allow_options") ?? false)
        case .logging:
            let ids = try body.strings("event_stream_ids") ?? []
            for id in ids { try IDCheck.check(id, prefix: "es", field: "logging.event_stream_ids") }
            out["event_stream_ids"] = .strings(ids)
        case .backend:
            out["backend_id"] = .optionalString(try body.string("backend_id"))
        case .shared:
            break
        }
        return out
    }

    /// A module of the shared vocabulary: every field read by its type and stored with the API's
    /// default when the request leaves it out; then the product rules (the same functions
    /// `validate` runs on manifests, given the request's values) and the API's own checks.
    private func parse(_ body: RequestBody, _ module: APIVocabulary.Module, _ tx: StoreTransaction) throws -> JSONObject {
        var out = JSONObject()
        var settings = ModuleSettings(module.name)
        var provider: (name: String, body: RequestBody)?
        let selector = module.selectorField
        if let selector {
            provider = try Self.providerBlock(body, selector, module: module)
            settings[selector.manifest] = .string(provider?.name ?? "")
        }
        var block = JSONObject()
        for field in module.fields where field.manifest != selector?.manifest {
            if field.inProviderBlock {
                guard let provider else { continue }
                if let only = field.onlyForProviders, !only.contains(provider.name) { continue }
                block[field.request] = try read(field, provider.body, into: &settings, tx)
            } else {
                out[field.request] = try read(field, body, into: &settings, tx)
            }
        }
        if let selector, case .choice(let names) = selector.type {
            var providers = JSONObject()
            for name in names.sorted(by: { Self.providerOrder($0) < Self.providerOrder($1) }) {
                providers[name] = name == provider?.name ? .object(block) : .null
            }
            out[selector.request] = .object(providers)
        }
        try apiChecks(out)
        try APIError.throwFirst(ModuleRules.violations(settings), field: rawValue)
        return out
    }

    /// One field of the request: its stored value (the API's default when absent), and, when the
    /// request sets it, its value in `settings` for the product rules.
    private func read(_ field: ModuleField, _ body: RequestBody, into settings: inout ModuleSettings, _ tx: StoreTransaction)
        throws -> JSON
    {
        let key = field.request
        switch field.type {
        case .boolean:
            guard let value = try body.bool(key) else { return JSON(field.absentValue) }
            settings[field.manifest] = .bool(value)
            return .bool(value)
        case .integer, .duration:
            guard let value = try body.uint32(key) else { return JSON(field.absentValue) }
            settings[field.manifest] = .int(Int(value))
            return .int(value)
        case .number:
            guard let value = try body.double(key) else { return JSON(field.absentValue) }
            settings[field.manifest] = .double(value)
            return .double(value)
        case .string, .choice, .textOrFile:
            guard let value = try body.string(key), !value.isEmpty else { return JSON(field.absentValue) }
            settings[field.manifest] = .string(value)
            return .string(value)
        case .secret:
            guard let value = try body.string(key), !value.isEmpty else { return JSON(field.absentValue) }
            // The rules only ask whether a secret is there; the value stays in the store.
            settings[field.manifest] = .secret(.env(key))
            return .string(value)
        case .strings, .headerNames:
            let values = try body.strings(key) ?? []
            if !values.isEmpty { settings[field.manifest] = .strings(values) }
            return .strings(field.type == .headerNames ? values.map { $0.lowercased() } : values)
        case .headerMap:
            let pairs = try body.stringMap(key) ?? []
            if !pairs.isEmpty { settings[field.manifest] = .headers(pairs.map { HeaderPair(name: $0.0, value: $0.1) }) }
            var stored = JSONObject()
            for (name, value) in pairs { stored[name.lowercased()] = .string(value) }
            return .object(stored)
        case .references(let kind, _):
            let ids = try body.strings(key) ?? []
            let check = Self.referenceCheck(kind)
            for id in ids {
                _ = try IDCheck.referenced(
                    id, prefix: String(kind.collection.idPrefix.dropLast()), collection: kind.collection.path,
                    field: "\(rawValue).\(key)", code: check.code, what: check.what, tx)
            }
            if !ids.isEmpty { settings[field.manifest] = .strings(ids) }
            return .strings(ids)
        }
    }

    /// The API's error when a module names an object that does not exist.
    static func referenceCheck(_ kind: Kind) -> (code: Int?, what: String) {
        switch kind {
        case .ipPolicy: (1607, "IP policy")
        case .certificateAuthority: (1672, "certificate authority")
        default: (nil, kind.rawValue)
        }
    }

    /// Checks the API makes beyond the product rules.
    private func apiChecks(_ stored: JSONObject) throws(APIError) {
        switch self {
        case .shared(.ipPolicy):
            guard stored["ip_policy_ids"]?.arrayValue?.isEmpty == false else {
                throw APIError.badRequest(1625, "The ip_policy module requires at least one IP policy in 'ip_policy_ids'.")
            }
        case .shared(.tlsTermination):
            if case .failure(let problem) = TLSTerminationRules.parseTerminateAt(stored["terminate_at"]?.stringValue ?? "") {
                throw APIError(problem, field: rawValue)
            }
        case .shared(.saml):
            if (stored["idp_metadata"]?.stringValue ?? "").utf8.count > 100_000 {
                throw APIError.badRequest(1680, "The SAML IdP metadata is too large.")
            }
        default:
            break
        }
    }

    /// The provider block of a module with a selector (OAuth's `provider: {google: {…}}`): exactly
    /// one provider, whose fields are checked against the ones it takes.
    static func providerBlock(_ body: RequestBody, _ selector: ModuleField, module: APIVocabulary.Module) throws(APIError)
        -> (name: String, body: RequestBody)?
    {
        guard case .choice(let names) = selector.type else { return nil }
        let providerBody = try body.object(selector.request, allowed: names) ?? .empty
        let given = names.filter { providerBody.has($0) }
        let provider: OAuthProvider
        switch OAuthRules.parseProvider(keys: given) {
        case .success(let value): provider = value
        case .failure(let problem): throw APIError(problem, field: "\(module.apiName).\(selector.request)")
        }
        let allowed = module.fields.filter {
            $0.inProviderBlock && ($0.onlyForProviders?.contains(provider.rawValue) ?? true)
        }.map(\.request)
        let block = try providerBody.object(provider.rawValue, allowed: allowed) ?? .empty
        return (provider.rawValue, block)
    }

    /// The API's order of the provider keys in responses.
    static func providerOrder(_ name: String) -> Int { ["github", "facebook", "microsoft", "google"].firstIndex(of: name) ?? 99 }

    /// The response shape of a stored module.
    func render(_ stored: JSON, ecID: String, samlSigningPEM: String?, _ ctx: APIContext) -> JSON {
        guard case .object(let module) = stored else { return .null }
        guard let shared else {
            switch self {
            case .logging:
                var out = JSONObject()
                out["enabled"] = module["enabled"] ?? true
                out["event_streams"] = ctx.refs(
                    "event_streams", module["event_stream_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                return .object(out)
            case .backend:
                var out = JSONObject()
                out["enabled"] = module["enabled"] ?? true
                out["backend"] = module["backend_id"]?.stringValue.map { ctx.ref("backends", $0) } ?? .null
                return .object(out)
            default:
                return stored
            }
        }
        var out = JSONObject()
        for field in shared.fields where !field.inProviderBlock {
            if case .references(let kind, _) = field.type {
                out[field.response] = ctx.refs(
                    kind.collection.path, module[field.request]?.arrayValue?.compactMap(\.stringValue) ?? [])
            } else {
                out[field.response] = module[field.request] ?? JSON(field.absentValue)
            }
        }
        if self == .shared(.saml) {
            let entity = "https://idp.ngrok.com/saml/\(ecID)"
            out["entity_id"] = .string(entity)
            out["assertion_consumer_service_url"] = .string("\(entity)/acs")
            out["single_logout_url"] = .string("\(entity)/slo")
            out["request_signing_certificate_pem"] = .string(samlSigningPEM ?? "")
            out["metadata_url"] = .string(entity)
        }
        return .object(out)
    }

    /// A self-signed request-signing certificate for an EC's SAML module.
    static func makeSigningCertificate(ecID: String, now: Date) -> String {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName { CommonName("ngrok SAML \(ecID)") }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now, notValidAfter: now.addingTimeInterval(10 * 365 * 86_400), issuer: name,
                subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
                issuerPrivateKey: .init(key))
            return PEMText.normalized(try certificate.serializeAsPEM().pemString)
        } catch {
            return ""
        }
    }
}

import NgrokModel

/// A request's operation, resolved from its method and path.
enum APIRoute: Equatable, Sendable {
    case list(collection: String)
    case create(collection: String)
    case get(collection: String, id: String)
    case update(collection: String, id: String)
    case delete(collection: String, id: String)
    case getModule(id: String, module: EndpointModule)
    case putModule(id: String, module: EndpointModule)
    case deleteModule(id: String, module: EndpointModule)
    /// `DELETE /reserved_domains/{id}/<what>` and `DELETE /reserved_addrs/{id}/endpoint_configuration`.
    case detach(collection: String, id: String, what: String)

    enum Failure: Error, Equatable {
        case notFound
        case methodNotAllowed(allowed: [String])
    }

    static let collections = Set(APICollection.allCases.map(\.path))

    static func resolve(method: String, path: String) -> Result<APIRoute, Failure> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let collection = segments.first, collections.contains(collection) else { return .failure(.notFound) }
        switch segments.count {
        case 1:
            switch method {
            case "GET": return .success(.list(collection: collection))
            case "POST": return .success(.create(collection: collection))
            default: return .failure(.methodNotAllowed(allowed: ["GET", "POST"]))
            }
        case 2:
            let id = segments[1]
            switch method {
            case "GET": return .success(.get(collection: collection, id: id))
            case "PATCH": return .success(.update(collection: collection, id: id))
            case "DELETE": return .success(.delete(collection: collection, id: id))
            default: return .failure(.methodNotAllowed(allowed: ["GET", "PATCH", "DELETE"]))
            }
        case 3:
            let id = segments[1]
            let sub = segments[2]
            switch collection {
            case "endpoint_configurations":
                guard let module = EndpointModule(rawValue: sub) else { return .failure(.notFound) }
                switch method {
                case "GET": return .success(.getModule(id: id, module: module))
                case "PUT": return .success(.putModule(id: id, module: module))
                case "DELETE": return .success(.deleteModule(id: id, module: module))
                default: return .failure(.methodNotAllowed(allowed: ["GET", "PUT", "DELETE"]))
                }
            case "reserved_domains" where ReservedDomains.detachPaths.contains(sub),
                "reserved_addrs" where sub == "endpoint_configuration":
                guard method == "DELETE" else { return .failure(.methodNotAllowed(allowed: ["DELETE"])) }
                return .success(.detach(collection: collection, id: id, what: sub))
            default:
                return .failure(.notFound)
            }
        default:
            return .failure(.notFound)
        }
    }

    /// `"METHOD /path/template"` for the request counters.
    var template: String {
        switch self {
        case .list(let c): "GET /\(c)"
        case .create(let c): "POST /\(c)"
        case .get(let c, _): "GET /\(c)/{id}"
        case .update(let c, _): "PATCH /\(c)/{id}"
        case .delete(let c, _): "DELETE /\(c)/{id}"
        case .getModule(_, let m): "GET /endpoint_configurations/{id}/\(m.rawValue)"
        case .putModule(_, let m): "PUT /endpoint_configurations/{id}/\(m.rawValue)"
        case .deleteModule(_, let m): "DELETE /endpoint_configurations/{id}/\(m.rawValue)"
        case .detach(let c, _, let what): "DELETE /\(c)/{id}/\(what)"
        }
    }

    /// Whether the operation takes a JSON body.
    var takesBody: Bool {
        switch self {
        case .create, .update, .putModule: true
        default: false
        }
    }

    var isWrite: Bool {
        switch self {
        case .list, .get, .getModule: false
        default: true
        }
    }
}

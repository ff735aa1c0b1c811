import Foundation

/// The API operations over the store, independent of HTTP.
final class EmulatorAPI: Sendable {
    let store: Store
    let ids: IDGenerator
    let resources: [String: any Resource]
    let clock: @Sendable () -> Date

    init(store: Store, ids: IDGenerator, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.store = store
        self.ids = ids
        self.clock = clock
        let all: [any Resource] = [
            Credentials(), IPPolicies(), IPPolicyRules(), IPWhitelist(), CertificateAuthorities(), TLSCertificates(),
            EndpointConfigurations(), ReservedDomains(), ReservedAddrs(),
        ]
        resources = Dictionary(uniqueKeysWithValues: all.map { ($0.collection, $0) })
        for id in try store.allIDs() { ids.observe(id) }
    }

    struct Reply: Sendable {
        var status: Int
        var body: JSON?
    }

    func context(baseURL: String) -> APIContext { APIContext(baseURL: baseURL, now: clock(), ids: ids) }

    func handle(_ route: APIRoute, query: [(String, String)], body: JSON?, baseURL: String) async throws -> Reply {
        let ctx = context(baseURL: baseURL)
        switch route {
        case .list(let collection):
            return try await list(resources[collection]!, query: query, ctx)

        case .create(let collection):
            let resource = resources[collection]!
            let request = try RequestBody(body ?? [:], allowed: resource.createFields)
            return try await store.write { tx in
                var object = StoredObject(
                    id: ctx.ids.make(resource.prefix), collection: collection, seq: 0, fields: JSONObject())
                object["created_at"] = .string(ctx.timestamp)
                object["description"] = ""
                object["metadata"] = ""
                try resource.applyDescriptionAndMetadata(&object, request)
                let extras = try resource.create(&object, request, ctx, tx)
                object = try tx.insert(object)
                return Reply(status: 201, body: resource.render(object, ctx, extras: extras))
            }

        case .get(let collection, let id):
            let resource = resources[collection]!
            try IDCheck.check(id, prefix: resource.prefix)
            return try await store.read { tx in
                guard let object = try tx.get(id, in: collection) else { throw APIError.notFound }
                return Reply(status: 200, body: resource.render(object, ctx, extras: JSONObject()))
            }

        case .update(let collection, let id):
            let resource = resources[collection]!
            try IDCheck.check(id, prefix: resource.prefix)
            let request = try RequestBody(body ?? [:], allowed: resource.updateFields)
            return try await store.write { tx in
                guard var object = try tx.get(id, in: collection) else { throw APIError.notFound }
                if request.isEmpty, let code = resource.emptyUpdateCode {
                    throw APIError.badRequest(code, "The update failed because no values were provided.")
                }
                try resource.applyDescriptionAndMetadata(&object, request)
                try resource.update(&object, request, ctx, tx)
                try tx.update(object)
                return Reply(status: 200, body: resource.render(object, ctx, extras: JSONObject()))
            }

        case .delete(let collection, let id):
            let resource = resources[collection]!
            try IDCheck.check(id, prefix: resource.prefix)
            return try await store.write { tx in
                guard let object = try tx.get(id, in: collection) else { throw APIError.notFound }
                try resource.willDelete(object, tx)
                try tx.delete(id)
                return Reply(status: 204, body: nil)
            }

        case .getModule(let id, let module):
            let ecs = EndpointConfigurations()
            try IDCheck.check(id, prefix: ecs.prefix)
            return try await store.read { tx in
                guard let object = try tx.get(id, in: ecs.collection) else { throw APIError.notFound }
                let rendered = ecs.renderModule(module, object, ctx)
                guard !rendered.isNull else { throw APIError.notFound }
                return Reply(status: 200, body: rendered)
            }

        case .putModule(let id, let module):
            let ecs = EndpointConfigurations()
            try IDCheck.check(id, prefix: ecs.prefix)
            var moduleBody = body ?? [:]
            // The Python client 0.4.0 wraps the module as {"module": {...}}; Go sends it bare.
            if case .object(let wrapper) = moduleBody, wrapper.keys == ["module"] {
                moduleBody = wrapper["module"].flatMap { $0.isNull ? nil : $0 } ?? [:]
            }
            let json = moduleBody
            return try await store.write { tx in
                guard var object = try tx.get(id, in: ecs.collection) else { throw APIError.notFound }
                try ecs.setModule(module, json, on: &object, ctx, tx)
                try ecs.validate(object)
                try tx.update(object)
                return Reply(status: 200, body: ecs.renderModule(module, object, ctx))
            }

        case .deleteModule(let id, let module):
            let ecs = EndpointConfigurations()
            try IDCheck.check(id, prefix: ecs.prefix)
            return try await store.write { tx in
                guard var object = try tx.get(id, in: ecs.collection) else { throw APIError.notFound }
                try ecs.setModule(module, nil, on: &object, ctx, tx)
                try tx.update(object)
                return Reply(status: 204, body: nil)
            }

        case .detach(let collection, let id, let what):
            let resource = resources[collection]!
            try IDCheck.check(id, prefix: resource.prefix)
            return try await store.write { tx in
                guard var object = try tx.get(id, in: collection) else { throw APIError.notFound }
                if collection == "reserved_domains" {
                    try ReservedDomains().detach(&object, what)
                } else {
                    object["endpoint_configuration_id"] = nil
                }
                try tx.update(object)
                return Reply(status: 204, body: nil)
            }
        }
    }

    private func list(_ resource: any Resource, query: [(String, String)], _ ctx: APIContext) async throws -> Reply {
        var beforeID: String?
        var limit = 100
        var seen = Set<String>()
        for (name, value) in query {
            guard seen.insert(name).inserted else {
                throw APIError.badRequest(232, "The query parameter '\(name)' may only be specified once.")
            }
            switch name {
            case "before_id":
                if !value.isEmpty {
                    try IDCheck.check(value, prefix: resource.prefix)
                    beforeID = value
                }
            case "limit":
                guard let n = Int(value), (1...100).contains(n) else {
                    throw APIError.badRequest(233, "The page size limit must be between 1 and 100, got '\(value)'.")
                }
                limit = n
            default:
                throw APIError.badRequest(
                    231, "The query parameter '\(name)' is unknown. The supported parameters are: before_id, limit.")
            }
        }
        let fetchLimit = limit
        let beforeIDValue = beforeID
        return try await store.read { tx in
            let page = try tx.list(resource.collection, beforeID: beforeIDValue, limit: fetchLimit + 1)
            let items = Array(page.prefix(fetchLimit))
            var out = JSONObject()
            out[resource.listKey] = .array(items.map { resource.render($0, ctx, extras: JSONObject()) })
            out["uri"] = .string("\(ctx.baseURL)/\(resource.collection)")
            if page.count > fetchLimit, let last = items.last {
                out["next_page_uri"] = .string(
                    "\(ctx.baseURL)/\(resource.collection)?before_id=\(last.id)&limit=\(fetchLimit)")
            } else {
                out["next_page_uri"] = .null
            }
            return Reply(status: 200, body: .object(out))
        }
    }
}

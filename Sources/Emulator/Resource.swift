import Foundation
import NgrokModel
import Validation

/// What a handler needs besides the store: the base URL for `uri` fields, the clock and the ID source.
struct APIContext: Sendable {
    var baseURL: String
    var now: Date
    var ids: IDGenerator

    func uri(_ collection: String, _ id: String) -> String { "\(baseURL)/\(collection)/\(id)" }
    func ref(_ collection: String, _ id: String) -> JSON { ["id": .string(id), "uri": .string(uri(collection, id))] }
    func refs(_ collection: String, _ ids: [String]) -> JSON { .array(ids.map { ref(collection, $0) }) }
    var timestamp: String { Self.rfc3339(now) }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day().time(
                includingFractionalSeconds: false
            ).timeZone(separator: .omitted))
    }
}

/// One API collection: its path, ID prefix, list key, accepted fields, and how its objects are created,
/// updated, rendered and deleted.
protocol Resource: Sendable {
    var apiCollection: APICollection { get }
    var createFields: [String] { get }
    var updateFields: [String] { get }
    /// ERR_NGROK codes for a too long description / metadata.
    var lengthCodes: (description: Int, metadata: Int) { get }
    /// ERR_NGROK code for a PATCH without any field; nil accepts it as a no-op.
    var emptyUpdateCode: Int? { get }

    /// Fills a new object (id, created_at, description and metadata are already set). Returns fields
    /// shown only in the create response (a credential's token).
    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON
    /// Referential checks and cascades before the object is deleted.
    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws
}

extension Resource {
    var collection: String { apiCollection.path }
    /// The ID prefix without its underscore (`ipp`).
    var prefix: String { String(apiCollection.idPrefix.dropLast()) }
    var listKey: String { apiCollection.listKey }

    var emptyUpdateCode: Int? { nil }
    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws {}
    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {}

    /// `id, uri, created_at, description, metadata` — the common head of most resources.
    func head(_ object: StoredObject, _ ctx: APIContext) -> JSONObject {
        var out = JSONObject()
        out["id"] = .string(object.id)
        out["uri"] = .string(ctx.uri(collection, object.id))
        out["created_at"] = object["created_at"] ?? ""
        out["description"] = object["description"] ?? ""
        out["metadata"] = object["metadata"] ?? ""
        return out
    }

    func checkLengths(_ body: RequestBody) throws(APIError) {
        if let description = try body.string("description"), description.utf8.count > TextLimits.maxDescriptionBytes {
            throw APIError.badRequest(
                lengthCodes.description, "The description may not be longer than \(TextLimits.maxDescriptionBytes) characters (bytes).")
        }
        if let metadata = try body.string("metadata"), metadata.utf8.count > TextLimits.maxMetadataBytes {
            throw APIError.badRequest(
                lengthCodes.metadata, "The metadata may not be longer than \(TextLimits.maxMetadataBytes) characters (bytes).")
        }
    }

    func applyDescriptionAndMetadata(_ object: inout StoredObject, _ body: RequestBody) throws(APIError) {
        try checkLengths(body)
        if let description = try body.string("description") { object["description"] = .string(description) }
        if let metadata = try body.string("metadata") { object["metadata"] = .string(metadata) }
    }
}

/// ID checks shared by handlers.
enum IDCheck {
    /// Checks that `id` has the given prefix (ERR_NGROK_227) and looks like an ID (ERR_NGROK_223).
    static func check(_ id: String, prefix: String, field: String? = nil) throws(APIError) {
        guard id.hasPrefix(prefix + "_") else {
            throw APIError.wrongPrefix(id, expected: prefix)
        }
        guard IDGenerator.isWellFormed(id) else {
            throw APIError.badRequest(
                223, "The value '\(id)'\(field.map { " of '\($0)'" } ?? "") is not a valid ID.")
        }
    }

    /// A referenced object of one collection, or a 400 with `code`.
    static func referenced(
        _ id: String, prefix: String, collection: String, field: String, code: Int?, what: String,
        _ tx: StoreTransaction
    ) throws -> StoredObject {
        try check(id, prefix: prefix, field: field)
        guard let object = try tx.get(id, in: collection) else {
            throw APIError.badRequest(code, "The \(what) '\(id)' referenced by '\(field)' does not exist.")
        }
        return object
    }
}

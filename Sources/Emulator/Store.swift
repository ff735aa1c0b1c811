import Foundation
import GRDB

/// One stored API object: its collection, a creation sequence number and its state as a JSON object
/// (API field names; write-only secrets under `_`-prefixed keys that are never rendered).
struct StoredObject: Sendable, Equatable {
    var id: String
    var collection: String
    var seq: Int64
    var fields: JSONObject

    subscript(key: String) -> JSON? {
        get { fields[key] }
        set { fields[key] = newValue }
    }
}

/// SQLite persistence through GRDB: one table of objects plus named counters. In memory when no path
/// is given. A `DatabaseQueue` serialises every write, so each API mutation (with its referential
/// checks) runs in one transaction.
final class Store: Sendable {
    let database: DatabaseQueue

    init(path: String?) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if let path {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } else {
            database = try DatabaseQueue(configuration: configuration)
        }
        try database.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS objects (
                        id TEXT PRIMARY KEY NOT NULL,
                        collection TEXT NOT NULL,
                        created_seq INTEGER NOT NULL,
                        json TEXT NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS objects_by_collection ON objects(collection, id);
                    CREATE TABLE IF NOT EXISTS counters (
                        name TEXT PRIMARY KEY NOT NULL,
                        value INTEGER NOT NULL
                    );
                    """)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await database.read { db in try body(StoreTransaction(db: db)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await database.write { db in try body(StoreTransaction(db: db)) }
    }

    /// Every stored ID (start-up: keeps new IDs greater than the stored ones).
    func allIDs() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT id FROM objects") }
    }

    func count() throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM objects") ?? 0 }
    }
}

/// Typed access to the store inside one transaction.
struct StoreTransaction {
    let db: Database

    private func decode(_ row: Row) throws -> StoredObject {
        let text: String = row["json"]
        guard case .object(let fields) = try JSON.parse(text) else {
            throw APIError(500, nil, "corrupt stored object")
        }
        return StoredObject(id: row["id"], collection: row["collection"], seq: row["created_seq"], fields: fields)
    }

    func get(_ id: String) throws -> StoredObject? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try decode(row)
    }

    func get(_ id: String, in collection: String) throws -> StoredObject? {
        guard let object = try get(id), object.collection == collection else { return nil }
        return object
    }

    /// Newest first; only IDs lower than `beforeID` when given; at most `limit`.
    func list(_ collection: String, beforeID: String?, limit: Int) throws -> [StoredObject] {
        let rows: [Row]
        if let beforeID {
            rows = try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE collection = ? AND id < ? ORDER BY id DESC LIMIT ?",
                arguments: [collection, beforeID, limit])
        } else {
            rows = try Row.fetchAll(
                db, sql: "SELECT * FROM objects WHERE collection = ? ORDER BY id DESC LIMIT ?",
                arguments: [collection, limit])
        }
        return try rows.map(decode)
    }

    func all(_ collection: String) throws -> [StoredObject] {
        try Row.fetchAll(db, sql: "SELECT * FROM objects WHERE collection = ? ORDER BY id", arguments: [collection])
            .map(decode)
    }

    func insert(_ object: StoredObject) throws -> StoredObject {
        var object = object
        object.seq = try nextCounter("created_seq")
        try db.execute(
            sql: "INSERT INTO objects (id, collection, created_seq, json) VALUES (?, ?, ?, ?)",
            arguments: [object.id, object.collection, object.seq, JSON.object(object.fields).serialized()])
        return object
    }

    func update(_ object: StoredObject) throws {
        try db.execute(
            sql: "UPDATE objects SET json = ? WHERE id = ?",
            arguments: [JSON.object(object.fields).serialized(), object.id])
    }

    func delete(_ id: String) throws {
        try db.execute(sql: "DELETE FROM objects WHERE id = ?", arguments: [id])
    }

    /// Increments and returns a named counter (starting at 1).
    func nextCounter(_ name: String) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1",
            arguments: [name])
        return try Int64.fetchOne(db, sql: "SELECT value FROM counters WHERE name = ?", arguments: [name]) ?? 1
    }
}

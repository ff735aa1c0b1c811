import Foundation
import Logging
import Testing
@testable import Emulator

@Suite struct PaginationTests {
    @Test func pagesOverTwoHundredSixtyObjects() async throws {
        try await withEmulator { client, server in
            // Create in parallel (bounded) to keep the test quick.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<8 {
                    group.addTask {
                        for i in stride(from: batch, to: 260, by: 8) {
                            let reply = try await client.post("/credentials", ["description": .string("cred \(i)")])
                            #expect(reply.status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try server.objectCount() == 260)

            // Following next_page_uri (Python/Ruby style).
            var seen: [String] = []
            var url: String? = "\(client.baseURL)/credentials?limit=100"
            var pages = 0
            while let next = url {
                let page = try await client.get(next)
                #expect(page.status == 200)
                seen += page["credentials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                url = page["next_page_uri"]?.stringValue
                pages += 1
            }
            #expect(pages == 3)
            #expect(seen.count == 260 && Set(seen).count == 260)
            #expect(seen == seen.sorted(by: >), "newest first = descending IDs")

            // Walking before_id until an empty page (Go style), default limit 100.
            var walked: [String] = []
            var before: String? = nil
            while true {
                let page = try await client.get("/credentials" + (before.map { "?before_id=\($0)" } ?? ""))
                let ids = page["credentials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                if ids.isEmpty {
                    #expect(page["next_page_uri"] == .null)
                    break
                }
                walked += ids
                before = ids.last
            }
            #expect(walked == seen)
            let first = try await client.get("/credentials")
            #expect(first["next_page_uri"]?.stringValue == "\(client.baseURL)/credentials?before_id=\(seen[99])&limit=100")
            let small = try await client.get("/credentials?limit=7&before_id=\(seen[10])")
            #expect(small["credentials"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(seen[11..<18]))
            // The oldest ID gives an empty page; an exact last page has no next page.
            let empty = try await client.get("/credentials?before_id=\(seen.last!)")
            #expect(empty["credentials"] == [] && empty["next_page_uri"] == .null)
            let last = try await client.get("/credentials?limit=60&before_id=\(seen[199])")
            #expect(last["credentials"]?.arrayValue?.count == 60 && last["next_page_uri"] == .null)
        }
    }

    @Test func idsAreStrictlyIncreasingWithinOneSecond() {
        let fixed = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = IDGenerator(clock: { fixed })
        let made = (0..<2000).map { _ in ids.make("cr") }
        #expect(made == made.sorted())
        #expect(Set(made).count == made.count)
        #expect(made.allSatisfy { $0.count == 30 && IDGenerator.isWellFormed($0) })
        // Across a restart: observing the stored IDs keeps new ones greater, even if the clock went back.
        let later = IDGenerator(clock: { fixed.addingTimeInterval(-3600) })
        later.observe(made.last!)
        #expect(later.make("cr") > made.last!)
        // Round trip of the encoding.
        let ksuid = String(made[0].dropFirst(3))
        #expect(IDGenerator.encode(IDGenerator.decode(ksuid)!) == ksuid)
    }
}

@Suite struct PersistenceTests {
    @Test func stateSurvivesRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = EmulatorConfiguration(dbPath: path, apiKeys: ["test-key"], rateLimit: nil)
        configuration.logger.logLevel = .warning
        let (ecID, domainID, addr, lastID) = try await withEmulator(configuration) { client, _ in
            let ec = try await client.post("/endpoint_configurations", ["type": "https", "compression": [:]])
            let domain = try await client.post("/reserved_domains", ["name": "persist", "https_endpoint_configuration_id": ec["id"]!])
            let addr = try await client.post("/reserved_addrs", ["region": "eu"])
            return (ec["id"]!.stringValue!, domain["id"]!.stringValue!, addr["addr"]!.stringValue!, addr["id"]!.stringValue!)
        }
        try await withEmulator(configuration) { client, server in
            #expect(try server.objectCount() == 3)
            let domain = try await client.get("/reserved_domains/\(domainID)")
            #expect(domain.status == 200)
            #expect(domain["https_endpoint_configuration"]?["id"]?.stringValue == ecID)
            // uri fields use the new server's base URL.
            #expect(domain["uri"]?.stringValue == "\(client.baseURL)/reserved_domains/\(domainID)")
            #expect(try await client.get("/endpoint_configurations/\(ecID)")["compression"] == ["enabled": true])
            // IDs keep increasing and addresses are not reused.
            let newAddr = try await client.post("/reserved_addrs", ["region": "eu"])
            #expect(newAddr["id"]!.stringValue! > lastID)
            #expect(newAddr["addr"]?.stringValue != addr)
            #expect(try await client.delete("/endpoint_configurations/\(ecID)").errorCode == "ERR_NGROK_1619")
        }
    }
}

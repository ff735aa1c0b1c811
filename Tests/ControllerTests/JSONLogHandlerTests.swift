import Controller
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    @Test func writesOneJSONObjectPerLine() throws {
        let lines = Mutex<[String]>([])
        let sink = JSONLogHandler.Sink { line in lines.withLock { $0.append(line) } }
        var logger = Logger(label: "ngrokctl.controller") { JSONLogHandler(label: $0, sink: sink) }
        logger[metadataKey: "stack"] = "prod"
        logger.info("sync finished", metadata: ["changes": .stringConvertible(3), "ops": .array(["create"])])
        logger.debug("hidden")
        let written = lines.withLock { $0 }
        #expect(written.count == 1)
        #expect(written[0].hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "sync finished")
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "ngrokctl.controller")
        #expect(object["stack"] as? String == "prod")
        #expect(object["changes"] as? String == "3")
        #expect(object["ops"] as? [String] == ["create"])
        #expect(object["time"] is String)
    }
}

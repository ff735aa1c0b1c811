import NgrokModel
import Reconcile
import Testing

@Suite struct DiagnosticRendererTests {
    static let at = SourceLocation(file: "/repo/stacks/prod/app.yaml", line: 12, column: 7)
    static let address = ResourceAddress(.endpointConfiguration, "app")

    @Test func textNamesTheSeverityOnce() {
        let warning = Diagnostic.warning(at: Self.at, Self.address, "unused", hint: "remove it")
        #expect(DiagnosticRenderer.text(warning) == "/repo/stacks/prod/app.yaml:12:7: warning: EndpointConfiguration/app: unused; remove it")
        let error = Diagnostic.error(at: nil, nil, "broken")
        #expect(DiagnosticRenderer.text(error) == "error: broken")
        #expect(DiagnosticRenderer.text(warning, color: true).contains("\u{1B}[33mwarning:\u{1B}[0m"))
        #expect(DiagnosticRenderer.json(warning)["text"] == .string(DiagnosticRenderer.text(warning)))
    }

    @Test func githubAnnotationsAreEscapedAndRelative() {
        let d = Diagnostic.error(at: Self.at, Self.address, "50% of rules\nare bad, see: docs", hint: "fix")
        let line = DiagnosticRenderer.githubAnnotation(d, paths: .init(base: "/repo"))
        #expect(line == "::error file=stacks/prod/app.yaml,line=12,col=7,title=ngrokctl%3A EndpointConfiguration/app::50%25 of rules%0Aare bad, see: docs; fix")
        let outside = DiagnosticRenderer.githubAnnotation(d, paths: .init(base: "/elsewhere"))
        #expect(outside.contains("file=/repo/stacks/prod/app.yaml,"))
        let stackRelative = Diagnostic.error(at: SourceLocation(file: "app.yaml", line: 1, column: 2), nil, "x")
        #expect(DiagnosticRenderer.githubAnnotation(stackRelative, paths: .init(base: "/repo", stackRoot: "/repo/stacks/prod"))
            == "::error file=stacks/prod/app.yaml,line=1,col=2,title=ngrokctl::x")
        #expect(DiagnosticRenderer.Paths(base: "/repo", stackRoot: "stacks/prod").relative("app.yaml") == "stacks/prod/app.yaml")
        let bare = DiagnosticRenderer.githubAnnotation(.warning(at: nil, nil, "a, b"))
        #expect(bare == "::warning title=ngrokctl::a, b")
    }

    @Test func sarifLocatesResults() {
        let log = SARIFLog.log(
            [.error(at: Self.at, Self.address, "broken"), .warning(at: nil, nil, "hmm")], toolVersion: "1.2.3",
            paths: .init(base: "/repo"))
        let run = log["runs"].flatMap { if case .list(let l) = $0 { l.first } else { nil } }
        guard case .list(let results)? = run?["results"] else {
            Issue.record("no results")
            return
        }
        #expect(results.count == 2)
        let location = results[0]["locations"].flatMap { if case .list(let l) = $0 { l.first } else { nil } }
        #expect(location?["physicalLocation"]?["artifactLocation"]?["uri"] == .string("stacks/prod/app.yaml"))
        #expect(location?["physicalLocation"]?["region"]?["startLine"] == .int(12))
        #expect(results[1]["level"] == .string("warning"))
        #expect(results[1]["locations"] == nil)
        #expect(run?["originalUriBaseIds"]?["%SRCROOT%"]?["uri"] == .string("file:///repo/"))
        #expect(SARIFLog.percentEncoded("a b/ü.yaml") == "a%20b/%C3%BC.yaml")
    }
}

import CoreMetrics
import Foundation
import Metrics
import NgrokAPI
import NgrokModel
import Prometheus
import Reconcile
import Synchronization

/// The controller's Prometheus metrics, recorded through swift-metrics into a registry this
/// controller owns (no global bootstrap: several controllers can live in one process).
public final class ControllerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let reconcileDuration: CoreMetrics.Timer
    private let budgetWait: CoreMetrics.Timer
    private let driftObjects: CoreMetrics.Gauge
    private let lastSuccess: CoreMetrics.Gauge
    private let sourceInfo: Mutex<(commit: String, gauge: CoreMetrics.Gauge)?>
    /// `ngrokctl_credential_age_seconds{credential}` of the credentials declared now.
    private let credentialAges = Mutex<[String: CoreMetrics.Gauge]>([:])

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                   .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300)]
        factory.durationHistogramBuckets = [
            "ngrokctl_reconcile_duration_seconds": buckets,
            "ngrokctl_api_budget_wait_seconds": [.zero, .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5),
                                                 .seconds(15), .seconds(30), .seconds(60), .seconds(120)],
        ]
        self.factory = factory
        reconcileDuration = CoreMetrics.Timer(label: "ngrokctl_reconcile_duration_seconds", factory: factory)
        budgetWait = CoreMetrics.Timer(label: "ngrokctl_api_budget_wait_seconds", factory: factory)
        driftObjects = CoreMetrics.Gauge(label: "ngrokctl_drift_objects", factory: factory)
        lastSuccess = CoreMetrics.Gauge(label: "ngrokctl_last_success_timestamp_seconds", factory: factory)
        sourceInfo = Mutex(nil)
        // Every result appears from the start, at zero.
        for result in SyncReport.Result.allCases {
            CoreMetrics.Counter(label: "ngrokctl_reconcile_total", dimensions: [("result", result.rawValue)], factory: factory).increment(by: 0)
        }
        for result in ["succeeded", "failed"] {
            CoreMetrics.Counter(label: "ngrokctl_credential_rotations_total", dimensions: [("result", result)], factory: factory)
                .increment(by: 0)
        }
    }

    func record(_ report: SyncReport, duration: Duration, wallClock seconds: Double) {
        CoreMetrics.Counter(label: "ngrokctl_reconcile_total", dimensions: [("result", report.result.rawValue)], factory: factory)
            .increment()
        reconcileDuration.recordNanoseconds(Int64(clamping: duration.nanoseconds))
        budgetWait.recordNanoseconds(Int64(clamping: report.apiBudgetWait.nanoseconds))
        for request in report.apiRequests where request.count > 0 {
            CoreMetrics.Counter(
                label: "ngrokctl_api_requests_total",
                dimensions: [
                    ("method", request.method.rawValue), ("collection", APIStatistics.label(request.collection)),
                    ("code", String(request.code)),
                ],
                factory: factory
            ).increment(by: request.count)
        }
        if report.isSuccess {
            driftObjects.record(report.driftObjects)
            lastSuccess.record(seconds)
        }
        for (result, count) in report.rotations where count > 0 {
            CoreMetrics.Counter(label: "ngrokctl_credential_rotations_total", dimensions: [("result", result)], factory: factory)
                .increment(by: count)
        }
        if report.isSuccess { recordCredentialAges(report.credentials, now: seconds) }
    }

    /// The age of each declared credential's newest generation; gauges of credentials no longer
    /// declared are removed.
    func recordCredentialAges(_ credentials: [CredentialSchedule], now: Double) {
        credentialAges.withLock { gauges in
            let names = Set(credentials.map(\.credential))
            for (name, gauge) in gauges where !names.contains(name) {
                gauge.destroy()
                gauges[name] = nil
            }
            for credential in credentials {
                guard let created = credential.createdAt else { continue }
                let gauge = gauges[credential.credential] ?? CoreMetrics.Gauge(
                    label: "ngrokctl_credential_age_seconds", dimensions: [("credential", credential.credential)], factory: factory)
                gauges[credential.credential] = gauge
                gauge.record(max(0, now - created.timeIntervalSince1970))
            }
        }
    }

    /// `ngrokctl_source_info{commit="…"} 1` for the current commit only.
    func recordSource(commit: String) {
        sourceInfo.withLock { current in
            if current?.commit == commit { return }
            current?.gauge.destroy()
            let gauge = CoreMetrics.Gauge(label: "ngrokctl_source_info", dimensions: [("commit", commit)], factory: factory)
            gauge.record(1)
            current = (commit, gauge)
        }
    }

    /// The Prometheus text exposition.
    public func exposition() -> String { registry.emitToString() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}

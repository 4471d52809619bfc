import ConciergeRuntime
import Foundation
import Testing
import Yams

/// The scrape configuration finds the workers where they serve metrics; the alert rules use metrics that exist.
@Suite struct MonitoringTests {
    static func alertRules() throws -> [Node] {
        let rules = try Repository.yaml("deploy/monitoring/alert-rules.yaml")
        return (rules["groups"]?.elements ?? []).flatMap { $0["rules"]?.elements ?? [] }
    }

    @Test func requiredAlertsExist() throws {
        let rules = try Self.alertRules()
        let expressions = rules.compactMap { $0["expr"]?.string }
        for metric in [
            "concierge_dead_lettered_total", "concierge_escalation_sla_breaches_total",
            "concierge_outbox_backlog_messages", "concierge_messages_total",
        ] {
            #expect(expressions.contains { $0.contains(metric) }, "no alert on \(metric)")
        }
        #expect(expressions.contains { $0.contains("rabbitmq_detailed_queue_consumers") }, "no consumer-absence alert")
        for rule in rules {
            #expect(rule["alert"]?.string != nil && rule.at("labels", "severity")?.string != nil)
        }
    }

    /// The dead-letter queue's bound (a policy, `FleetTopology.deadLetterPolicy`) has alerts on its depth that fire
    /// before it is reached: a warning and a critical one, both below the bound.
    @Test func deadLetterQueueDepthIsAlertedBeforeItsBound() throws {
        let bound = FleetTopology().deadLetterMaxLength
        var thresholds: [String: Int] = [:]
        for rule in try Self.alertRules() {
            let expression = rule["expr"]?.string ?? ""
            guard expression.contains(#"rabbitmq_detailed_queue_messages{queue="concierge.dead-letter"}"#) else {
                continue
            }
            let threshold = try #require(
                Repository.captures(#">\s*([0-9]+)\s*$"#, in: expression).first.flatMap { Int($0) })
            thresholds[rule.at("labels", "severity")?.string ?? "?"] = threshold
            // The documented bound is the code's.
            let summary = rule.at("annotations", "summary")?.string ?? ""
            #expect(summary.contains(bound.formatted(.number.locale(Locale(identifier: "en_US")))))
        }
        #expect(
            Set(thresholds.keys) == ["warning", "critical"], "alerts on the dead-letter queue's depth: \(thresholds)")
        #expect(thresholds.values.allSatisfy { $0 < bound })
        #expect((thresholds["warning"] ?? .max) < (thresholds["critical"] ?? 0))
    }

    @Test func alertsUseOnlyMetricsTheCodeCreates() throws {
        let created = try FleetSources.metricNames()
        #expect(created.contains("concierge_messages_total"))
        for rule in try Self.alertRules() {
            let expression = rule["expr"]?.string ?? ""
            for metric in Repository.captures(#"\b(concierge_[a-z0-9_]+)"#, in: expression) {
                #expect(
                    created.contains(metric), "\(rule["alert"]?.string ?? "?") uses \(metric), which no source creates")
            }
        }
    }

    @Test func scrapeConfigurationKeepsThePodsTheDeploymentsAnnotate() throws {
        let scrape = try Repository.yaml("deploy/monitoring/prometheus-scrape.yaml")
        let jobs = scrape["scrape_configs"]?.elements ?? []
        let workers = try #require(jobs.first { $0["job_name"]?.string == "concierge-workers" })
        let relabels = workers["relabel_configs"]?.elements ?? []
        #expect(
            relabels.contains {
                $0["source_labels"]?.strings == ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"]
                    && $0["action"]?.string == "keep"
            })
        #expect(relabels.contains { $0["target_label"]?.string == "__metrics_path__" })
        // No relabel may write a `worker` target label: the series carry their own.
        #expect(!relabels.contains { $0["target_label"]?.string == "worker" })
        let manifests = try Manifests(kustomization: "deploy/base")
        for deployment in manifests.all("Deployment") {
            #expect(
                deployment.at("spec", "template", "metadata", "annotations", "prometheus.io/scrape")?.string == "true")
            #expect(
                deployment.at("spec", "template", "metadata", "labels", "app.kubernetes.io/name")?.string == "concierge"
            )
        }
        #expect(
            jobs.contains { $0["metrics_path"]?.string == "/metrics/detailed" },
            "no job for RabbitMQ's per-queue metrics")
    }
}

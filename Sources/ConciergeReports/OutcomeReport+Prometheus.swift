import Foundation

extension OutcomeReport {
    /// The same figures in the Prometheus text exposition format (for a textfile collector or a push gateway):
    /// gauges named `concierge_report_*`, labelled by lane, reason, quantile and intent (all bounded sets).
    public func prometheus() -> String {
        var lines: [String] = []
        func gauge(_ name: String, _ help: String, _ samples: [([(String, String)], Double?)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) gauge")
            for (labels, value) in samples {
                guard let value else { continue }
                let text =
                    labels.isEmpty
                    ? "" : "{" + labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
                lines.append("\(name)\(text) \(value)")
            }
        }
        let intents = self.byIntent.sorted { $0.key < $1.key }
        let lanes = ConversationOutcome.Lane.allCases
        gauge(
            "concierge_report_conversations", "Conversations started in the period, by lane and intent.",
            intents.flatMap { intent, f in
                lanes.map { ([("lane", $0.rawValue), ("intent", intent)], Double(f.conversations[$0] ?? 0)) }
            })
        gauge(
            "concierge_report_automation_ratio", "AI-answered conversations over all conversations.",
            [([], self.all.automationRate)] + intents.map { ([("intent", $0.key)], $0.value.automationRate) })
        gauge(
            "concierge_report_ai_resolution_ratio", "Resolved over settled AI-answered conversations.",
            [([], self.all.aiResolutionRate)] + intents.map { ([("intent", $0.key)], $0.value.aiResolutionRate) })
        gauge(
            "concierge_report_repeat_inquiry_ratio", "Customers back about the same intent within the window, by lane.",
            lanes.map { ([("lane", $0.rawValue)], self.all.repeatInquiryRate[$0] ?? nil) })
        gauge(
            "concierge_report_handoffs", "Conversations that reached a person, by reason.",
            self.all.handoffsByReason.sorted { $0.key < $1.key }.map { ([("reason", $0.key)], Double($0.value)) })
        func seconds(_ name: String, _ help: String, _ values: [ConversationOutcome.Lane: OutcomeFigures.Percentiles]) {
            gauge(
                name, help,
                lanes.flatMap { lane in
                    [("0.5", values[lane]?.p50), ("0.9", values[lane]?.p90)].map { quantile, ms in
                        ([("lane", lane.rawValue), ("quantile", quantile)], ms.map { Double($0) / 1000 })
                    }
                })
        }
        seconds("concierge_report_first_response_seconds", "Time to first response, by lane.", self.all.firstResponse)
        seconds("concierge_report_resolution_seconds", "Time to resolution, by lane.", self.all.resolution)
        gauge(
            "concierge_report_human_wait_seconds", "Human-lane wait from joining the line to a person.",
            [("0.5", self.all.humanWait.p50), ("0.9", self.all.humanWait.p90)].map {
                ([("quantile", $0.0)], $0.1.map { Double($0) / 1000 })
            })
        gauge(
            "concierge_report_sla_breaches", "Human-lane conversations that missed their SLA target.",
            [([], Double(self.all.slaBreaches))])
        gauge(
            "concierge_report_csat_average", "Average customer rating (1..5), by lane.",
            lanes.map { ([("lane", $0.rawValue)], self.all.csat[$0]?.average) })
        return lines.joined(separator: "\n") + "\n"
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

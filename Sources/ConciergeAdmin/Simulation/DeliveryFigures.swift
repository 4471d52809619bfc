import Foundation

/// Message delivery figures the simulator measures itself, as the agent app and the customer's channel see them.
struct DeliveryFigures {
    /// A customer's follow-up published to the human lane -> delivered on the agent's key.
    var customerToAgent: [Duration] = []
    /// An agent's message event published -> the customer's `conversation_update.v1` delivered on `reply.<channel>`.
    var agentToCustomer: [Duration] = []
    /// An agent at capacity resolves a conversation -> its next offer delivered.
    var freeToOffer: [Duration] = []
    var waitingNotices = 0
    /// Conversations held over the online agents' capacity, sampled every 5 s while the workload runs.
    var load: [Double] = []

    /// `name: n=… p50 … ms, p99 … ms, max … ms` (nearest rank), or `name: no samples`.
    static func line(_ name: String, _ values: [Duration]) -> String {
        let ms = values.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }.sorted()
        guard !ms.isEmpty else { return "\(name): no samples" }
        func at(_ q: Double) -> Double { ms[min(ms.count - 1, Int((Double(ms.count) * q).rounded(.up)) - 1)] }
        return
            "\(name): n=\(ms.count) p50 \(String(format: "%.1f", at(0.5))) ms, p99 \(String(format: "%.1f", at(0.99))) ms, max \(String(format: "%.1f", ms.last ?? 0)) ms"
    }

    /// The lines printed at the end of a run with inquiries.
    func lines() -> [String] {
        var lines = [
            "", "message delivery (published -> delivered to the other side):",
            "  " + Self.line("customer -> agent", self.customerToAgent),
            "  " + Self.line("agent -> customer", self.agentToCustomer),
            "  " + Self.line("capacity freed -> next offer", self.freeToOffer),
            "  waiting-line notices to customers: \(self.waitingNotices)",
        ]
        if !self.load.isEmpty {
            lines.append(
                "  agent load (held / online capacity): mean \(Int(self.load.reduce(0, +) / Double(self.load.count) * 100))%, max \(Int((self.load.max() ?? 0) * 100))%"
            )
        }
        return lines
    }
}

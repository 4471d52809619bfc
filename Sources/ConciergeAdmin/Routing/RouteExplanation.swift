public import ClassifierWorker
public import ConciergeCore
import Foundation
import IntentClassifier

/// `conciergectl route`: the routing decision for a text and why, for operators tuning the policy.
public struct RouteExplanation: Sendable {
    public var analysis: InquiryClassifier.TextAnalysis
    public var signals: RoutingSignals
    public var decision: RoutingDecision
    /// The model file's version, as the worker reports it.
    public var modelVersion: String

    /// How `classifier` routes a text it analysed, given what the database says of its customer (VIP tier, and a
    /// recent decision about the same intent).
    public init(
        _ analysis: InquiryClassifier.TextAnalysis, classifier: InquiryClassifier, vip: Bool, repeatContact: Bool,
        modelVersion: String
    ) {
        self.analysis = analysis
        self.signals = classifier.signals(analysis, vip: vip, repeatContact: repeatContact, assignedAgent: nil)
        self.decision = classifier.decide(self.signals)
        self.modelVersion = modelVersion
    }

    public var lines: [String] {
        let analysis = self.analysis
        let confidence = String(format: "%.2f", analysis.prediction.confidence)
        return [
            "route:      \(self.decision.route.rawValue)",
            "priority:   \(self.decision.priority.rawValue)",
            "intent:     \(analysis.intent ?? "unknown") (top \(analysis.prediction.label), confidence \(confidence))",
            "reasons:    \(self.decision.reasons.joined(separator: ", "))",
            "signals:    language=\(analysis.language) asked_for_human=\(analysis.askedForHuman) "
                + "distress=\(analysis.distress.rawValue) sensitive=\(self.signals.sensitive) vip=\(self.signals.vip) "
                + "repeat_contact=\(self.signals.repeatContact)",
            "model:      \(self.modelVersion)",
        ]
    }
}

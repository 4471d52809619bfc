import Foundation
public import IntentClassifier

/// `conciergectl eval`: accuracy, macro-F1, weakest intents and most confused pairs of a model on labelled texts.
///
/// With an out-of-scope label, texts with that label are out of scope: the in-scope figures leave them out, and the
/// report adds in-scope accuracy and out-of-scope recall at a threshold, the threshold that balances them, the lowest
/// threshold where both reach a target, and the curve in steps of 0.05, so an operator can choose
/// `confidence_threshold` (config/routing.yaml) on held-out data.
public struct EvaluationReport: Sendable {
    public var weakest: Int
    public var confused: Int
    /// The label of out-of-scope texts, or nil when every text is in scope.
    public var outOfScopeLabel: String?
    /// The confidence threshold to report the out-of-scope figures at.
    public var threshold: Double
    /// The rate both out-of-scope figures should reach.
    public var target: Double

    public init(
        weakest: Int = 10, confused: Int = 10, outOfScopeLabel: String? = nil, threshold: Double = 0.5,
        target: Double = 0.9
    ) {
        self.weakest = weakest
        self.confused = confused
        self.outOfScopeLabel = outOfScopeLabel
        self.threshold = threshold
        self.target = target
    }

    /// The whole report of `model` on `examples`.
    public func text(_ model: IntentModel, on examples: [LabeledText]) -> String {
        guard let outOfScopeLabel else {
            return IntentEvaluation.evaluate(model, on: examples).report(weakest: self.weakest, confused: self.confused)
        }
        let inScope = IntentEvaluation.evaluate(model, on: examples.filter { $0.label != outOfScopeLabel })
        let calibration = OutOfScopeCalibration(model: model, examples: examples, outOfScopeLabel: outOfScopeLabel)
        return ([inScope.report(weakest: self.weakest, confused: self.confused)] + self.outOfScopeLines(calibration))
            .joined(separator: "\n")
    }

    /// The out-of-scope figures of a calibration: at the threshold, balanced, the lowest reaching the target, and the
    /// curve at every multiple of 0.05.
    public func outOfScopeLines(_ calibration: OutOfScopeCalibration) -> [String] {
        func line(_ name: String, _ point: OutOfScopeCalibration.Point) -> String {
            name
                + String(
                    format: " %.2f: in-scope accuracy %.4f, out-of-scope recall %.4f", point.threshold,
                    point.inScopeAccuracy, point.outOfScopeRecall)
        }
        let target = Figures.format(self.target, digits: 2)
        var lines = [
            "out of scope (\(calibration.inScopeCount) in-scope, \(calibration.outOfScopeCount) out-of-scope texts):",
            "  " + line("at threshold", calibration.at(self.threshold)),
            "  " + line("balanced at ", calibration.balanced),
        ]
        if let lowest = calibration.lowest(inScopeAccuracy: self.target, outOfScopeRecall: self.target) {
            lines.append("  " + line("lowest with both >= \(target) at", lowest))
        } else {
            lines.append("  no threshold gives both >= \(target)")
        }
        lines.append("threshold  in-scope accuracy  out-of-scope recall")
        for point in calibration.curve where Int((point.threshold * 100).rounded()) % 5 == 0 {
            lines.append(
                String(
                    format: "     %.2f             %.4f               %.4f", point.threshold, point.inScopeAccuracy,
                    point.outOfScopeRecall))
        }
        return lines
    }
}

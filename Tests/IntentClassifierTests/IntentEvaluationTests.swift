import IntentClassifier
import Testing

@Suite struct IntentEvaluationTests {
    /// Confusion matrix (rows expected, columns predicted):
    ///
    ///        a  b  c
    ///     a  2  1  0
    ///     b  1  1  0
    ///     c  0  2  2
    ///
    /// a: precision 2/3, recall 2/3, F1 2/3; b: precision 1/4, recall 1/2, F1 1/3; c: precision 1, recall 1/2,
    /// F1 2/3. Accuracy 5/9, macro-F1 (2/3 + 1/3 + 2/3) / 3 = 5/9.
    let pairs: [(expected: String, predicted: String)] = [
        ("a", "a"), ("a", "a"), ("a", "b"),
        ("b", "b"), ("b", "a"),
        ("c", "c"), ("c", "c"), ("c", "b"), ("c", "b"),
    ]

    @Test func metricsMatchAHandComputedConfusionMatrix() throws {
        let evaluation = IntentEvaluation.evaluate(pairs: pairs)
        #expect(evaluation.count == 9)
        #expect(abs(evaluation.accuracy - 5.0 / 9) < 1e-12)
        #expect(abs(evaluation.macroF1 - 5.0 / 9) < 1e-12)
        #expect(evaluation.perLabel.map(\.label) == ["a", "b", "c"])
        let expected: [(Double, Double, Double, Int)] = [
            (2 / 3, 2 / 3, 2 / 3, 3), (1 / 4, 1 / 2, 1 / 3, 2), (1, 1 / 2, 2 / 3, 4),
        ]
        for (score, (precision, recall, f1, support)) in zip(evaluation.perLabel, expected) {
            #expect(abs(score.precision - precision) < 1e-12)
            #expect(abs(score.recall - recall) < 1e-12)
            #expect(abs(score.f1 - f1) < 1e-12)
            #expect(score.support == support)
        }
        #expect(
            evaluation.confusedPairs == [
                .init(expected: "c", predicted: "b", count: 2),
                .init(expected: "a", predicted: "b", count: 1),
                .init(expected: "b", predicted: "a", count: 1),
            ])
    }

    @Test func reportListsWeakestAndConfused() {
        let report = IntentEvaluation.evaluate(pairs: pairs).report(weakest: 1, confused: 1)
        #expect(report.contains("accuracy:  0.5556"))
        #expect(report.contains("macro-F1:  0.5556"))
        #expect(report.contains("0.3333  0.2500  0.5000     2  b"))
        #expect(report.contains("2: c -> b"))
        #expect(!report.contains("a -> b"))
    }

    @Test func labelOnlyPredictedStillCountsInMacroF1() {
        let evaluation = IntentEvaluation.evaluate(pairs: [("a", "a"), ("a", "z")])
        #expect(evaluation.perLabel.map(\.label) == ["a", "z"])
        // a: precision 1, recall 1/2, F1 2/3; z: F1 0.
        #expect(abs(evaluation.macroF1 - 1.0 / 3) < 1e-12)
    }
}

import IntentClassifier
import Testing

@Suite struct OutOfScopeCalibrationTests {
    typealias Scored = OutOfScopeCalibration.Scored

    /// In scope: right at 0.9, 0.8, 0.6, wrong at 0.7. Out of scope: 0.3, 0.5, 0.65.
    static let scored = [
        Scored(predicted: "a", confidence: 0.9, label: "a"), Scored(predicted: "b", confidence: 0.8, label: "b"),
        Scored(predicted: "a", confidence: 0.6, label: "a"), Scored(predicted: "a", confidence: 0.7, label: "b"),
        Scored(predicted: "a", confidence: 0.3, label: "oos"), Scored(predicted: "b", confidence: 0.5, label: "oos"),
        Scored(predicted: "a", confidence: 0.65, label: "oos"),
    ]

    @Test func ratesAtAThreshold() {
        let calibration = OutOfScopeCalibration(Self.scored, outOfScopeLabel: "oos")
        #expect(calibration.inScopeCount == 4)
        #expect(calibration.outOfScopeCount == 3)
        let half = calibration.at(0.5)
        #expect(half.inScopeAccuracy == 0.75)  // 3 right of 4, all at or above 0.5
        #expect(abs(half.outOfScopeRecall - 1.0 / 3) < 1e-9)  // only 0.3 is below 0.5
        let zero = calibration.at(0)
        #expect(zero.outOfScopeRecall == 0)
    }

    /// Balanced: at 0.66..0.80 in-scope accuracy is 2/4 and out-of-scope recall 3/3 (min 0.5); at 0.51..0.60 it is
    /// 3/4 and 2/3 (min 0.667), the best; the lowest such threshold is chosen.
    @Test func theBalancedThresholdMaximisesTheSmallerRate() {
        let balanced = OutOfScopeCalibration(Self.scored, outOfScopeLabel: "oos").balanced
        #expect(balanced.threshold == 0.51)
        #expect(balanced.inScopeAccuracy == 0.75)
        #expect(abs(balanced.outOfScopeRecall - 2.0 / 3) < 1e-9)
    }
}

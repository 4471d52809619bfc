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

    /// A model trained with out-of-scope examples as a label of their own rejects a text it gives that label at any
    /// threshold, however confident; an in-scope text given that label is wrong at any threshold.
    @Test func theOutOfScopeLabelIsARejectionAtEveryThreshold() {
        let scored = [
            Scored(predicted: "oos", confidence: 0.95, label: "oos"),
            Scored(predicted: "a", confidence: 0.7, label: "oos"),
            Scored(predicted: "a", confidence: 0.9, label: "a"), Scored(predicted: "oos", confidence: 0.8, label: "a"),
        ]
        let calibration = OutOfScopeCalibration(scored, outOfScopeLabel: "oos")
        #expect(calibration.at(0).outOfScopeRecall == 0.5)
        #expect(calibration.at(0.5).inScopeAccuracy == 0.5)
        #expect(calibration.at(0.71).outOfScopeRecall == 1)
        #expect(calibration.at(0.91).inScopeAccuracy == 0)
    }

    @Test func theLowestThresholdMeetingBothTargets() {
        let calibration = OutOfScopeCalibration(Self.scored, outOfScopeLabel: "oos")
        // 0.75 / 0.667 from 0.51; nothing gives both >= 0.75 and 1.
        #expect(calibration.lowest(inScopeAccuracy: 0.75, outOfScopeRecall: 0.6)?.threshold == 0.51)
        #expect(calibration.lowest(inScopeAccuracy: 0.75, outOfScopeRecall: 1) == nil)
    }
}

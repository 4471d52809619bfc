import ConciergeSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct DurationConversionTests {
    @Test(arguments: [0, 1, 7, 1_500, 86_400_000, -1, -2_500])
    func wholeMillisecondsRoundTripExactly(milliseconds: Int64) {
        let duration = Duration.milliseconds(milliseconds)
        #expect(duration.inMilliseconds == milliseconds)
        #expect(duration.inMicroseconds == milliseconds * 1_000)
        #expect(duration.inNanoseconds == milliseconds * 1_000_000)
        #expect(duration.inSeconds == Double(milliseconds) / 1_000)
    }

    @Test func integerConversionsTruncateTowardZero() {
        #expect(Duration.nanoseconds(1_999_999).inMilliseconds == 1)
        #expect(Duration.nanoseconds(-1_999_999).inMilliseconds == -1)
        #expect(Duration.nanoseconds(1_999).inMicroseconds == 1)
        #expect(Duration.nanoseconds(-1).inMicroseconds == 0)
        #expect(Duration.seconds(-1.5).inMilliseconds == -1_500)
        #expect(Duration.seconds(1.5).inNanoseconds == 1_500_000_000)
    }

    @Test func secondsRoundUp() {
        #expect(Duration.zero.inSecondsRoundedUp == 0)
        #expect(Duration.seconds(5).inSecondsRoundedUp == 5)
        #expect(Duration.milliseconds(5_001).inSecondsRoundedUp == 6)
        #expect(Duration.nanoseconds(1).inSecondsRoundedUp == 1)
        #expect(Duration.milliseconds(-1_500).inSecondsRoundedUp == -1)
        #expect(Duration.milliseconds(-500).inSecondsRoundedUp == 0)
    }

    @Test func secondsAsDouble() {
        #expect(Duration.zero.inSeconds == 0)
        #expect(Duration.seconds(3).inSeconds == 3)
        #expect(Duration.milliseconds(250).inSeconds == 0.25)
        #expect(Duration.milliseconds(-250).inSeconds == -0.25)
        #expect(Duration.seconds(0.1).inSeconds == 0.1)
    }

    @Test func timevalCarriesSecondsAndMicroseconds() {
        let value = timeval(Duration.milliseconds(2_345) + .nanoseconds(999))
        #expect(value.tv_sec == 2)
        #expect(value.tv_usec == 345_000)
        let zero = timeval(Duration.zero)
        #expect(zero.tv_sec == 0 && zero.tv_usec == 0)
    }
}

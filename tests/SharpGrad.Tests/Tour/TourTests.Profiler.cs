namespace SharpGrad.Tests.Tour;

// The Tour runs seed 003's profiler cell (003-16b): a profile records every op of the process, so
// the Tour runs in the non-parallel "Profiler" collection, where no other test's ops can land in
// that profile (or pay for being recorded).
[Collection("Profiler")]
public partial class TourTests;

// Preloaded (node --require) into Azurite when Radar's local runner or a test fixture starts it.
// The parent keeps Azurite's stdin open as a pipe; when the parent ends, however it ends (Ctrl-C,
// a crash, a kill), the pipe closes and Azurite exits too, so no orphaned storage server is left.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();

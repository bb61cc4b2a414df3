import Testing

@Test func placeholderUntilSandboxLands() {}

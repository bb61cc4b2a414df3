print("membersync")

print("bc-sandbox")

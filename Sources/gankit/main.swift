print("gankit")

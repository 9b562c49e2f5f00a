public enum KaoheCore {}

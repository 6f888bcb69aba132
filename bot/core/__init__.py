"""The application: the conversation service and every use case, called by every edge."""

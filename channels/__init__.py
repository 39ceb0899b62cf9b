"""Input channels of the assistant: Rasa's REST and socket.io channels with input sanitising.

Referenced from credentials.yml as `channels.rest.SafeRestInput` and
`channels.socketio.SafeSocketIOInput`; they keep Rasa's URLs (/webhooks/rest/webhook,
/socket.io). Building either channel's blueprint also installs the action-failure apology
(channels/resilience.py). Nothing is imported or installed at import time.
"""

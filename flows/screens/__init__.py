"""The screens of the conversation, one module each, as aiogram_dialog's widgets are:
the screen that draws a button also handles its press, and the content modules beside
them (`flows.intake`, `roles`, `journey`, `appointments`) are tables and pure functions
that draw nothing. Every function takes the `Turn` of the step; `flows.engine` routes
each event to them through its table (`ROUTERS`), and no screen imports the engine."""

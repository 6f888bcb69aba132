"""The screens of the conversation, one module each, as aiogram_dialog's widgets are:
the screen that draws a button also handles its press. Every function takes the `Turn`
of the step; `flows.engine` maps each payload kind, command and stage to them."""

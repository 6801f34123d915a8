"""Notifications are created by the tasks of the apps they are about (see measures.tasks);
their e-mail is sent by services.notify once the creating transaction commits."""

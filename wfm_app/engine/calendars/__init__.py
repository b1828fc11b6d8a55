"""Business calendars: working hours in a time zone, minus holidays. A workflow or one of
its steps picks one; its SLA and time-in-step limits then count working time only."""

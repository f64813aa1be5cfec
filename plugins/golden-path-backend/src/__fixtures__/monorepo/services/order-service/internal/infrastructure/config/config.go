package config

// Prefix of event names.
const Prefix = "shop."

// Config of the service.
type Config struct{ Port string }

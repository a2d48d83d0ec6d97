// TODO(placeholder): being written

"""skillmatch engine: résumé bytes -> Document -> mentions -> Profile -> score against a Role."""

module.exports = { render: () => "SHOUT PLUGIN" };

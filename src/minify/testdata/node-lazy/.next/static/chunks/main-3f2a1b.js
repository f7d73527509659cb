(self.webpackChunk = self.webpackChunk || []).push([[179], { 1: () => console.log("client chunk") }]);
